using System.Text.RegularExpressions;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// A bundled guest's serial output as the emulator and QEMU are expected to agree on it, and the
/// first line where they do not.
/// </summary>
internal static partial class GuestOutput
{
    /// <summary>
    /// Whether the guest marks lines as outcomes of its clocks ("timing:"): under QEMU those run in
    /// host real time, so such a guest does not do the same work there (irqbench computes until
    /// 20 000 PIT ticks have passed: 2 s of QEMU's wall time whatever its speed).
    /// </summary>
    public static bool IsClockPaced(string serial) => Lines(serial).Any(l => l.StartsWith("timing:", StringComparison.Ordinal));

    /// <summary>
    /// The output without what legitimately differs under QEMU: "board:" lines (the firmware's own
    /// choices), "timing:" lines (host-clock outcomes), and the multiboot upper-memory size, which
    /// QEMU's firmware makes 128 KiB smaller by keeping its tables at the top of RAM. Line endings
    /// normalised. The same rules as the test suite's cross-checks against QEMU.
    /// </summary>
    public static string[] Comparable(string serial) => Lines(serial)
        .Where(l => !l.StartsWith("board:", StringComparison.Ordinal) && !l.StartsWith("timing:", StringComparison.Ordinal))
        .Select(l => UpperMemory().Replace(l, "KiB low, N KiB high"))
        .ToArray();

    /// <summary>
    /// Null when the two agree, else the first differing line of each (or where one ends). With
    /// <paramref name="labelsOnly"/> only each line's label (up to its first ':') is compared: for
    /// a clock-paced guest, whose values depend on when its clock ticked (under QEMU irqbench's
    /// last tick can land between its loop's test and its CLI: 20 001 ticks), the same lines in
    /// the same order still say it ran to the same end.
    /// </summary>
    public static string? FirstDifference(string qemu, string emulator, bool labelsOnly = false)
    {
        string[] q = Comparable(qemu), e = Comparable(emulator);
        if (labelsOnly)
        {
            (q, e) = (q.Select(Label).ToArray(), e.Select(Label).ToArray());
        }
        for (int i = 0; i < Math.Max(q.Length, e.Length); i++)
        {
            string? a = i < q.Length ? q[i] : null, b = i < e.Length ? e[i] : null;
            if (a != b)
            {
                return $"line {i + 1}: QEMU {Show(a)}, the emulator {Show(b)}";
            }
        }
        return null;
    }

    private static string Label(string line) => line.IndexOf(':', StringComparison.Ordinal) is int colon and >= 0 ? line[..(colon + 1)] : line;

    private static string Show(string? line) => line is null ? "(no more output)" : $"\"{line}\"";

    private static string[] Lines(string s)
    {
        string t = s.Replace("\r", "").TrimEnd('\n');
        return t.Length == 0 ? [] : t.Split('\n');
    }

    [GeneratedRegex(@"KiB low, \d+ KiB high")]
    private static partial Regex UpperMemory();
}
