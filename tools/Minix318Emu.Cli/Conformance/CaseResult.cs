using System.Globalization;

namespace Minix318Emu.Cli.Conformance;

/// <summary>The state the harness printed for one case (one "C ..." line).</summary>
public sealed class CaseResult
{
    public const uint NoFault = 0xFFFF_FFFF;

    public int Index { get; private init; }
    public uint Vector { get; private init; }
    public uint Error { get; private init; }
    public uint Eip { get; private init; }
    public uint[] Registers { get; private init; } = Array.Empty<uint>();
    public uint Eflags { get; private init; }
    public uint Cr2 { get; private init; }
    public uint[] Segments { get; private init; } = Array.Empty<uint>();
    public byte[] Data { get; private init; } = Array.Empty<byte>();
    public byte[]? Fpu { get; private init; }

    /// <summary>Parses the harness output; lines that are not case lines are ignored. Throws on a malformed case line.</summary>
    public static Dictionary<int, CaseResult> ParseAll(string output)
    {
        var results = new Dictionary<int, CaseResult>();
        foreach (string raw in output.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("C ", StringComparison.Ordinal))
            {
                CaseResult r = Parse(line);
                results[r.Index] = r;
            }
        }
        return results;
    }

    private static CaseResult Parse(string line)
    {
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 22)
        {
            throw new FormatException($"harness line has {f.Length} fields, expected at least 22: {line}");
        }
        uint W(int i) => uint.Parse(f[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new CaseResult
        {
            Index = (int)W(1),
            Vector = W(2),
            Error = W(3),
            Eip = W(4),
            Registers = Enumerable.Range(5, 8).Select(W).ToArray(),
            Eflags = W(13),
            Cr2 = W(14),
            Segments = Enumerable.Range(15, 6).Select(W).ToArray(), // ds es fs gs ss cs
            Data = Convert.FromHexString(f[21]),
            Fpu = f.Length > 22 ? Convert.FromHexString(f[22]) : null,
        };
    }
}
