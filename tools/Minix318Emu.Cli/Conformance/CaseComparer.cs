using System.Buffers.Binary;

namespace Minix318Emu.Cli.Conformance;

/// <summary>
/// Compares the state two CPUs left after one case, field by field, ignoring only what the SDM
/// leaves undefined: the case's undefined EFLAGS bits, the error code of vectors that push none,
/// CR2 outside page faults, and (for transcendental cases) the significand's last 14 bits.
/// </summary>
public static class CaseComparer
{
    /// <summary>CF PF AF ZF SF DF OF: the EFLAGS bits instructions set.</summary>
    private const uint ComparedFlags = 0x0CD5;

    /// <summary>Returns a description of every difference; empty when the two agree.</summary>
    public static List<string> Compare(ConformanceCase c, CaseResult ours, CaseResult reference)
    {
        var d = new List<string>();
        void Check(string name, uint a, uint b)
        {
            if (a != b)
            {
                d.Add($"{name}: ours {a:x8}, reference {b:x8}");
            }
        }

        Check("vector", ours.Vector, reference.Vector);
        if (ours.Vector == reference.Vector && ours.Vector != CaseResult.NoFault)
        {
            Check("error code", ours.Error, reference.Error);
            Check("fault eip offset", ours.Eip, reference.Eip);
            if (ours.Vector == 14)
            {
                Check("cr2", ours.Cr2, reference.Cr2);
            }
        }
        string[] regNames = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
        for (int i = 0; i < 8; i++)
        {
            uint m = i == 0 && c.StatusWordInEax ? 0xFFFF_0000u | StatusWordMask(c) : 0xFFFF_FFFF; // FNSTSW AX leaves EAX's upper half
            Check(regNames[i], ours.Registers[i] & m, reference.Registers[i] & m);
        }
        uint mask = ComparedFlags & ~c.UndefinedFlags;
        Check($"eflags (mask {mask:x})", ours.Eflags & mask, reference.Eflags & mask);
        string[] segNames = { "ds", "es", "fs", "gs", "ss", "cs" };
        for (int i = 0; i < segNames.Length; i++)
        {
            Check(segNames[i], ours.Segments[i], reference.Segments[i]);
        }
        for (int i = 0; i < ours.Data.Length && i < reference.Data.Length; i++)
        {
            if (ours.Data[i] != reference.Data[i])
            {
                d.Add($"data: first difference at byte {i}: ours {Convert.ToHexString(ours.Data)}, reference {Convert.ToHexString(reference.Data)}");
                break;
            }
        }
        if (ours.Fpu is not null && reference.Fpu is not null)
        {
            CompareFpu(c, ours.Fpu, reference.Fpu, d);
        }
        return d;
    }

    private static void CompareFpu(ConformanceCase c, byte[] a, byte[] b, List<string> d)
    {
        // fsw: DE (bit 1) is masked, QEMU does not report denormal operands; fcs/fop: only the selector,
        // QEMU does not record the opcode (both are known differences, README "Conformance").
        string[] env = { "fcw", "fsw", "ftw", "fip", "fcs", "fdp", "fds" };
        uint[] masks = { 0xFFFF, StatusWordMask(c), 0xFFFF, 0xFFFF_FFFF, 0xFFFF, 0xFFFF_FFFF, 0xFFFF };
        for (int i = 0; i < env.Length; i++)
        {
            if (i is 3 or 4 && !c.CompareFpuPointers)
            {
                continue;
            }
            uint x = BinaryPrimitives.ReadUInt32LittleEndian(a.AsSpan(4 * i)) & masks[i];
            uint y = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4 * i)) & masks[i];
            if (x != y)
            {
                d.Add($"{env[i]}: ours {x:x8}, reference {y:x8}");
            }
        }
        ushort tags = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8));
        int top = (BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(4)) >> 11) & 7;
        for (int i = 0; i < 8; i++)
        {
            if (((tags >> (2 * ((top + i) & 7))) & 3) == 3)
            {
                continue; // an empty register's contents are not architectural
            }
            ReadOnlySpan<byte> x = a.AsSpan(28 + 10 * i, 10), y = b.AsSpan(28 + 10 * i, 10);
            if (!x.SequenceEqual(y) && !(c.ApproximateFpu && Close(x, y)))
            {
                d.Add($"st{i}: ours {Extended(x)}, reference {Extended(y)}");
            }
        }
    }

    /// <summary>
    /// The status word bits compared: not DE (QEMU does not report denormal operands) nor C1 (QEMU
    /// does not keep the SDM's round-up and stack-fault meaning), nor C0/C2/C3 when the SDM leaves them undefined.
    /// </summary>
    private static uint StatusWordMask(ConformanceCase c) =>
        (c.ConditionCodesDefined ? 0xFDFDu : 0xB8FDu) & (c.ApproximateFpu ? ~0x20u : ~0u); // and PE, where the results are approximate

    /// <summary>Same sign and exponent and significands within 2^14 units of the last place (50 bits agree): the transcendentals are computed in double.</summary>
    private static bool Close(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        ulong sx = BinaryPrimitives.ReadUInt64LittleEndian(x), sy = BinaryPrimitives.ReadUInt64LittleEndian(y);
        ushort ex = BinaryPrimitives.ReadUInt16LittleEndian(x[8..]), ey = BinaryPrimitives.ReadUInt16LittleEndian(y[8..]);
        return ex == ey && (sx > sy ? sx - sy : sy - sx) < 1ul << 14;
    }

    private static string Extended(ReadOnlySpan<byte> x) =>
        $"{BinaryPrimitives.ReadUInt16LittleEndian(x[8..]):x4}:{BinaryPrimitives.ReadUInt64LittleEndian(x):x16}";
}
