using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Commands;

/// <summary>`bench`: boots benchmark guests repeatedly and reports guest MIPS (median of the measured runs).</summary>
public static class BenchCommand
{
    /// <summary>Runs the verb.</summary>
    public static int Execute(BenchOptions o)
    {
        Logging.Configure(o.LogLevel ?? "warning");
        Ui = Progress.Terminal.Open(o.Quiet);
        if (o.Repeat < 1)
        {
            throw new Configuration.UsageException($"--repeat {o.Repeat}: must be at least 1");
        }
        CheckCombination(o);
        if (o.Reports)
        {
            ReportsBench.Run(o.HtmlCalls, o.AnalyzeCalls);
            return 0;
        }
        if (o.Minix is not null)
        {
            return MinixBench.Run(o.Minix, o.Repeat, o.Qemu);
        }
        if (o.DiskBoot is not null)
        {
            return DiskBootBench.Run(o.DiskBoot, o.Repeat, o.Bios);
        }
        if (o.Linux is not null)
        {
            return LinuxBench.Run(o.Linux, o.Initrd, o.Append, o.Repeat);
        }
        var guests = o.Guest is not null ? new[] { (o.Guest, "") } : DefaultGuests();
        Console.WriteLine($"{"guest",-16} {"instructions",14} {"median s",10} {"MIPS",8} {"interrupts/s",14}  (median of {o.Repeat}, after 1 warm-up)");
        foreach (var (g, append) in guests)
        {
            string name = append.Length == 0 ? Path.GetFileName(g) : $"{Path.GetFileNameWithoutExtension(g)} {append}";
            Measure(g, append);
            var runs = new List<(RunResult Result, long Interrupts)>();
            for (int i = 0; i < o.Repeat; i++)
            {
                runs.Add(Measure(g, append));
            }
            runs.Sort((a, b) => a.Result.Elapsed.CompareTo(b.Result.Elapsed));
            var (m, interrupts) = runs[runs.Count / 2];
            double perSecond = interrupts / m.Elapsed.TotalSeconds;
            Console.WriteLine($"{name,-16} {m.Instructions,14} {m.Elapsed.TotalSeconds,10:0.0000} {m.Mips,8:0.0} {perSecond,14:0}");
            if (m.Reason != StopReason.GuestExit)
            {
                Console.Error.WriteLine($"minix318emu: {name} did not exit cleanly: {m.Message}");
                return ExitCodes.For(m);
            }
        }
        if (o.Gdb)
        {
            GdbBench.Run(o.Guest ?? BundledGuests.PathOf("bench"), o.Repeat);
        }
        if (o.Trace)
        {
            TraceBench.Run(o.Repeat, o.AnalyzeCalls);
        }
        return 0;
    }

    /// <summary>
    /// Options that the measurement asked for would not use are refused, one line naming them,
    /// rather than ignored: bench measures one thing (the guests, --reports, --minix,
    /// --disk-boot or --linux); --gdb and --trace add to the guests' measurement, --trace on
    /// its own bundled guests; --bios belongs to --disk-boot and --initrd to --linux.
    /// </summary>
    private static void CheckCombination(BenchOptions o)
    {
        string[] modes = new[] { (o.Reports, "--reports"), (o.Minix is not null, "--minix"), (o.DiskBoot is not null, "--disk-boot"), (o.Linux is not null, "--linux") }
            .Where(m => m.Item1).Select(m => m.Item2).ToArray();
        if (modes.Length > 1)
        {
            throw new Configuration.UsageException($"{string.Join(" and ", modes)}: bench measures one of them at a time");
        }
        string? mode = modes.FirstOrDefault();
        foreach (var (given, name) in new[] { (o.Gdb, "--gdb"), (o.Trace, "--trace"), (o.Guest is not null, "--guest") })
        {
            if (given && mode is not null)
            {
                throw new Configuration.UsageException($"{name} is part of the bundled guests' measurement; it cannot be combined with {mode}");
            }
        }
        if (o.Trace && o.Guest is not null)
        {
            throw new Configuration.UsageException($"--trace measures the tracer on its own guests (tracebench, tracesparse, allocbench); it cannot be combined with --guest {o.Guest}");
        }
        if (o.Bios is not null && o.DiskBoot is null)
        {
            throw new Configuration.UsageException($"--bios {o.Bios} is for --disk-boot (the firmware boot of a MINIX disk)");
        }
        if (o.Initrd is not null && o.Linux is null)
        {
            throw new Configuration.UsageException($"--initrd {o.Initrd} is for --linux");
        }
    }

    /// <summary>
    /// The bundled guests: compute-bound code, the self-check, interrupts at 10 kHz, and the
    /// slowpath guest's tight loops of instructions an interpreter is tempted to handle out of
    /// line (CPUID, IN from the ACPI PM timer, PAUSE, MOV to and from control registers), which
    /// should run at the speed of the rest (issue 14, finding 8).
    /// </summary>
    private static (string Kernel, string Append)[] DefaultGuests()
    {
        var list = new List<(string, string)> { (BundledGuests.PathOf("bench"), ""), (BundledGuests.PathOf("selfcheck"), ""), (BundledGuests.PathOf("irqbench"), "") };
        foreach (string loop in new[] { "cpuid", "pmtimer", "pause", "cr", "cr2" })
        {
            list.Add((BundledGuests.PathOf("slowpath"), loop));
        }
        return list.ToArray();
    }

    /// <summary>Where bench draws its live status line (a terminal without --quiet), or null.</summary>
    internal static Spectre.Console.IAnsiConsole? Ui { get; private set; }

    /// <summary>Runs a measured session with the status line (labelled) on a terminal; the line's thread only reads counters.</summary>
    internal static RunResult RunWithStatus(Session session, string label)
    {
        using (Progress.StatusLine.ForRun(Ui, () => RunCommand.Counters(session.Machine), label))
        {
            return session.Run();
        }
    }

    private static (RunResult Result, long Interrupts) Measure(string kernel, string append)
    {
        using Session session = BenchSession.Build(kernel, append, maxInstructions: 20_000_000_000);
        RunResult r = RunWithStatus(session, Path.GetFileName(kernel) + (append.Length > 0 ? " " + append : ""));
        return (r, session.Pc.Board.Pic.Acknowledged);
    }
}
