using Minix318Emu.Cli.Hosting;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// The "qemu" rows of `bench`'s guest table: each guest's file and command line run under QEMU
/// TCG (<see cref="QemuGuestRun"/>), one warm-up and then --repeat runs, the median wall time less
/// QEMU's start-up, and the ratio of each tier's median time to it. QEMU's start-up (process,
/// firmware, its multiboot loader, exit: ~0.05 s here) is no guest work and would swamp guests
/// QEMU runs in a few milliseconds, so it is measured with a guest that exits at once — the
/// bundled slowpath.elf naming no loop prints one line and exits — on the same command line, in
/// runs alternating with the guest's (so both see the same load on a shared machine), and
/// subtracted. Every QEMU run's exit status, and its serial output, must be the emulator's; a
/// guest paced by its clocks (<see cref="GuestOutput.IsClockPaced"/>) is run once for that check
/// (its lines' labels only) and given no time.
/// </summary>
internal sealed class QemuGuestBench
{
    /// <summary>QEMU's RAM, as <see cref="BenchSession"/> gives the emulator.</summary>
    private const int MemoryMiB = 256;

    /// <summary>Start-up runs measured per guest at least, whatever --repeat: they take ~0.05 s each and the row's net time leans on their median.</summary>
    private const int MinimumStartUpRuns = 5;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly string _qemu;
    private readonly int _repeat;
    private readonly string _probe = BundledGuests.PathOf("slowpath");

    private QemuGuestBench(string qemu, int repeat)
    {
        _qemu = qemu;
        _repeat = repeat;
    }

    /// <summary>The QEMU rows' measurement, after printing the line that says what they are.</summary>
    public static QemuGuestBench Open(string qemu, int repeat)
    {
        Console.WriteLine($"{"qemu",-16} {qemu} -accel tcg: median wall time less QEMU's start-up, the median of at least {MinimumStartUpRuns} runs of slowpath.elf naming no loop (it prints one line and exits) alternating with the guest's");
        return new QemuGuestBench(qemu, repeat);
    }

    /// <summary>One tier's measurement of a guest: its median run time, and the serial output and exit code of its warm-up run.</summary>
    public sealed record TierRun(string Tier, double Seconds, string Serial, int ExitCode);

    /// <summary>
    /// Runs the guest under QEMU and prints its row; false (the difference printed as an error
    /// naming the guest) when QEMU's output or exit status is not what the emulator's tiers gave,
    /// or QEMU failed.
    /// </summary>
    public bool Row(string name, string kernel, string append, IReadOnlyList<TierRun> tiers)
    {
        if (tiers.Any(t => GuestOutput.IsClockPaced(t.Serial)))
        {
            if (Run(name, kernel, append, tiers, labelsOnly: true) is not { } once)
            {
                return false;
            }
            Console.WriteLine($"{name,-16} {"qemu",-6} no time: its work is paced by its clocks (\"timing:\" lines), which QEMU runs in real time, so QEMU does not do the same work (it took {once.TotalSeconds:0.00} s); same exit status and output lines, values aside");
            return true;
        }
        var walls = new List<TimeSpan>();
        var startUps = new List<TimeSpan>();
        for (int i = 0; i <= Math.Max(_repeat, MinimumStartUpRuns); i++)
        {
            TimeSpan? startUp = Run(name, _probe, "", null);
            TimeSpan? wall = i <= _repeat ? Run(name, kernel, append, tiers) : TimeSpan.Zero;
            if (startUp is null || wall is null)
            {
                return false;
            }
            if (i > 0) // the first of each warms up
            {
                startUps.Add(startUp.Value);
                if (i <= _repeat)
                {
                    walls.Add(wall.Value);
                }
            }
        }
        walls.Sort();
        startUps.Sort();
        TimeSpan median = walls[walls.Count / 2], start = startUps[startUps.Count / 2];
        double net = (median - start).TotalSeconds;
        string ratios = net > 0
            ? string.Join(", ", tiers.Select(t => $"{t.Tier}/QEMU {t.Seconds / net:0.00}"))
            : "no ratio: not above QEMU's start-up";
        // A guest QEMU finishes within the start-up runs' own scatter has a ratio that is mostly noise.
        string rough = net > 0 && net < (startUps[^1] - startUps[0]).TotalSeconds ? " (less than the start-up runs' spread: rough)" : "";
        Console.WriteLine($"{name,-16} {"qemu",-6} {"",14} {net,10:0.0000} {"",8} {"",14} {"",9}  {ratios}{rough}; wall {median.TotalSeconds:0.0000} s less start-up {start.TotalSeconds:0.0000} s");
        return true;
    }

    /// <summary>
    /// One QEMU run's wall time, or null after printing why: QEMU failed, or its run differs from a
    /// tier's (null <paramref name="tiers"/>: the start-up guest, which must complain of no loop;
    /// <paramref name="labelsOnly"/>: a clock-paced guest, see <see cref="GuestOutput.FirstDifference"/>).
    /// </summary>
    private TimeSpan? Run(string name, string kernel, string append, IReadOnlyList<TierRun>? tiers, bool labelsOnly = false)
    {
        QemuGuestRun? r = QemuGuestRun.Start(_qemu, kernel, append, MemoryMiB, Timeout, out string error);
        string? wrong = r is null ? error
            : tiers is null ? StartUpDifference(r)
            : tiers.Select(t => Difference(r, t, labelsOnly)).FirstOrDefault(d => d is not null);
        if (wrong is null)
        {
            return r!.Wall;
        }
        Console.WriteLine($"{name,-16} {"qemu",-6} no time: QEMU did not run {(tiers is null ? "the start-up guest" : "it as the emulator did")} (see the error)");
        Console.Error.WriteLine($"minix318emu: {name} under QEMU: {(tiers is null ? "the start-up guest (slowpath.elf naming no loop): " : "")}{wrong}");
        return null;
    }

    /// <summary>How QEMU's run differs from a tier's, or null.</summary>
    private static string? Difference(QemuGuestRun r, TierRun t, bool labelsOnly) =>
        r.ExitCode != t.ExitCode ? $"QEMU exited with code {r.ExitCode}, the emulator (--tier {t.Tier}) with {t.ExitCode}{StderrNote(r)}"
        : GuestOutput.FirstDifference(r.Serial, t.Serial, labelsOnly) is { } d ? $"QEMU's serial output differs from the emulator's (--tier {t.Tier}) at {d}{StderrNote(r)}"
        : null;

    /// <summary>slowpath.elf naming no loop says so and exits with value 1, (1 &lt;&lt; 1) | 1; anything else means it did not run.</summary>
    private static string? StartUpDifference(QemuGuestRun r) =>
        r.ExitCode == 3 && r.Serial.StartsWith("slowpath: name a loop", StringComparison.Ordinal) ? null
        : $"exit code {r.ExitCode}, output \"{r.Serial.Trim()}\"{StderrNote(r)}";

    private static string StderrNote(QemuGuestRun r) => r.Stderr.Length > 0 ? $" (QEMU said: {r.Stderr.Split('\n')[0]})" : "";
}
