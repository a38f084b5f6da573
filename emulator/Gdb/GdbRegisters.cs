using System.Text;
using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Emulator.Gdb;

/// <summary>
/// The i386 register set as GDB numbers it (org.gnu.gdb.i386.core): eax..edi, eip, eflags, the
/// six segment registers, st0-7 (10-byte extended values in stack order) and the eight x87
/// control registers (ftag is the full 16-bit tag word, as GDB's i387 code expects).
/// </summary>
public static class GdbRegisters
{
    /// <summary>Number of registers in the description.</summary>
    public const int Count = 32;

    private static readonly string[] s_names =
    {
        "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
        "cs", "ss", "ds", "es", "fs", "gs",
        "st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7",
        "fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop",
    };

    /// <summary>The register's size in bytes.</summary>
    public static int Size(int n) => n is >= 16 and <= 23 ? 10 : 4;

    /// <summary>The register's name.</summary>
    public static string Name(int n) => s_names[n];

    /// <summary>Segment registers in GDB order: cs ss ds es fs gs.</summary>
    private static readonly int[] s_segOrder = { SegReg.Cs, SegReg.Ss, SegReg.Ds, SegReg.Es, SegReg.Fs, SegReg.Gs };

    /// <summary>Appends register <paramref name="n"/> as little-endian hex.</summary>
    public static void AppendHex(StringBuilder sb, Processor.Cpu cpu, int n)
    {
        var fpu = cpu.Fpu;
        if (n is >= 16 and <= 23)
        {
            Span<byte> b = stackalloc byte[10];
            fpu.St(n - 16).Write(b);
            foreach (byte x in b)
            {
                sb.Append(x.ToString("x2"));
            }
            return;
        }
        uint v = n switch
        {
            < 8 => cpu.R[n],
            8 => cpu.Eip,
            9 => cpu.GetFlags(),
            < 16 => cpu.Seg[s_segOrder[n - 10]].Selector,
            24 => fpu.Control,
            25 => fpu.Status,
            26 => fpu.TagWord,
            27 => fpu.InstructionSelector,
            28 => fpu.InstructionPointer,
            29 => fpu.OperandSelector,
            30 => fpu.OperandPointer,
            _ => fpu.Opcode,
        };
        for (int i = 0; i < 4; i++)
        {
            sb.Append(((byte)(v >> (8 * i))).ToString("x2"));
        }
    }

    /// <summary>
    /// Sets register <paramref name="n"/> from little-endian bytes. Segment registers are loaded
    /// as the CPU would (a bad selector is refused). Returns false if refused.
    /// </summary>
    public static bool Set(Processor.Cpu cpu, int n, ReadOnlySpan<byte> bytes)
    {
        var fpu = cpu.Fpu;
        if (n is >= 16 and <= 23)
        {
            if (bytes.Length < 10)
            {
                return false;
            }
            fpu.St(n - 16) = Fpu.Float80.Read(bytes);
            return true;
        }
        uint v = bytes.Length >= 4 ? BitConverter.ToUInt32(bytes) : 0;
        switch (n)
        {
            case 24: fpu.Control = (ushort)v; fpu.UpdateSummary(); return true;
            case 25: fpu.Status = (ushort)v; fpu.UpdateSummary(); return true;
            case 26: fpu.TagWord = (ushort)v; return true;
            case 27: fpu.InstructionSelector = (ushort)v; return true;
            case 28: fpu.InstructionPointer = v; return true;
            case 29: fpu.OperandSelector = (ushort)v; return true;
            case 30: fpu.OperandPointer = v; return true;
            case 31: fpu.Opcode = (ushort)(v & 0x7FF); return true;
        }
        switch (n)
        {
            case < 8:
                cpu.R[n] = v;
                return true;
            case 8:
                cpu.Eip = v;
                return true;
            case 9:
                cpu.SetFlags(v);
                return true;
            default:
                return cpu.DebuggerLoadSegment(s_segOrder[n - 10], (ushort)v);
        }
    }

    /// <summary>The target description GDB reads with qXfer:features:read:target.xml.</summary>
    public static string TargetXml()
    {
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        sb.Append("<architecture>i386</architecture>\n<feature name=\"org.gnu.gdb.i386.core\">\n");
        for (int n = 0; n < Count; n++)
        {
            string type = n switch
            {
                4 or 5 => "data_ptr",
                8 => "code_ptr",
                >= 16 and <= 23 => "i387_ext",
                _ => "int32",
            };
            string group = n >= 16 ? " group=\"float\"" : "";
            sb.Append($"<reg name=\"{s_names[n]}\" bitsize=\"{Size(n) * 8}\" type=\"{type}\" regnum=\"{n}\"{group}/>\n");
        }
        sb.Append("</feature>\n</target>\n");
        return sb.ToString();
    }
}
