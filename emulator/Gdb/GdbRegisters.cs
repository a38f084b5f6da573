using System.Text;
using Minix318Emu.Emulator.Cpu;

namespace Minix318Emu.Emulator.Gdb;

/// <summary>
/// The i386 register set as GDB numbers it (org.gnu.gdb.i386.core): eax..edi, eip, eflags, the
/// six segment registers, st0-7 and the eight x87 control registers. The x87 is issue 6, so its
/// registers read as an initialised FPU and writes to them are ignored.
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
    public static void AppendHex(StringBuilder sb, Cpu.Cpu cpu, int n)
    {
        if (n is >= 16 and <= 23)
        {
            sb.Append('0', 20); // st0-7: zero
            return;
        }
        uint v = n switch
        {
            < 8 => cpu.R[n],
            8 => cpu.Eip,
            9 => cpu.GetFlags(),
            < 16 => cpu.Seg[s_segOrder[n - 10]].Selector,
            24 => 0x037F, // fctrl after FNINIT
            26 => 0xFFFF, // ftag: all empty
            _ => 0,
        };
        for (int i = 0; i < 4; i++)
        {
            sb.Append(((byte)(v >> (8 * i))).ToString("x2"));
        }
    }

    /// <summary>
    /// Sets register <paramref name="n"/> from little-endian bytes. Segment registers are loaded
    /// as the CPU would (a bad selector is refused); x87 registers are ignored. Returns false if refused.
    /// </summary>
    public static bool Set(Cpu.Cpu cpu, int n, ReadOnlySpan<byte> bytes)
    {
        if (n >= 16)
        {
            return true;
        }
        uint v = bytes.Length >= 4 ? BitConverter.ToUInt32(bytes) : 0;
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
