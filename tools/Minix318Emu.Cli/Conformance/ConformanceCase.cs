using System.Buffers.Binary;

namespace Minix318Emu.Cli.Conformance;

/// <summary>One generated case: initial state, code, and what the comparison may ignore.</summary>
public sealed class ConformanceCase
{
    public required string Family { get; init; }

    /// <summary>The instructions in Intel syntax, for reports.</summary>
    public required string Text { get; init; }

    /// <summary>eax ecx edx ebx esp ebp esi edi.</summary>
    public required uint[] Registers { get; init; }

    public required uint Eflags { get; init; }

    public required byte[] Data { get; init; }

    /// <summary>A 108-byte FRSTOR image, or null when the case does not use the FPU.</summary>
    public byte[]? Fpu { get; init; }

    public required byte[] Code { get; init; }

    /// <summary>EFLAGS bits the SDM leaves undefined after these instructions (masked in the comparison).</summary>
    public uint UndefinedFlags { get; init; }

    /// <summary>The x87 results come from functions whose last bits the SDM does not fix (transcendentals): compared to 52 bits.</summary>
    public bool ApproximateFpu { get; init; }

    /// <summary>x87 C0, C2 and C3 after the case are defined by the SDM (the last instruction to touch them was a compare, FXAM or FPREM).</summary>
    public bool ConditionCodesDefined { get; init; } = true;

    /// <summary>The case ends with FNSTSW AX: EAX holds the status word, compared with its masks.</summary>
    public bool StatusWordInEax { get; init; }

    /// <summary>A known QEMU departure this case may show; a mismatch of exactly that kind is counted as known, not failed.</summary>
    public KnownDeviation Deviation { get; init; }

    /// <summary>Compare the x87 last-instruction pointer and selectors (not when the case has control instructions).</summary>
    public bool CompareFpuPointers { get; init; } = true;

    /// <summary>Where the case runs.</summary>
    public CaseMode Mode { get; init; } = CaseMode.Protected32;

    /// <summary>For a 16-bit case, the initial DS, ES, FS, GS and SS (segment values or selectors).</summary>
    public ushort[]? Segments { get; init; }

    /// <summary>The 512-byte record the harness reads.</summary>
    public void WriteTo(Span<byte> b)
    {
        b[..HarnessLayout.CaseSize].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(b, (Fpu is null ? 0u : 1u) | ((uint)Mode << 1));
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b[(4 + 4 * i)..], Registers[i]);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(b[36..], Eflags);
        Data.CopyTo(b[48..]);
        Fpu?.CopyTo(b[112..]);
        if (Segments is not null)
        {
            for (int i = 0; i < Segments.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(b[(112 + 2 * i)..], Segments[i]); // where 16-bit cases have no FPU image
            }
        }
        BinaryPrimitives.WriteUInt16LittleEndian(b[220..], (ushort)Code.Length);
        Code.CopyTo(b[224..]);
    }

    /// <summary>Writes the case module: a 16-byte header (magic, count) and the records.</summary>
    public static void WriteModule(string path, IReadOnlyList<ConformanceCase> cases)
    {
        var buf = new byte[HarnessLayout.HeaderSize + HarnessLayout.CaseSize * cases.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(buf, HarnessLayout.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(4), (uint)cases.Count);
        for (int i = 0; i < cases.Count; i++)
        {
            cases[i].WriteTo(buf.AsSpan(HarnessLayout.HeaderSize + HarnessLayout.CaseSize * i));
        }
        File.WriteAllBytes(path, buf);
    }
}
