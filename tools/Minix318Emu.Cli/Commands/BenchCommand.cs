using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor.Compiler;
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
        // The boots follow --tier, and without it the command line's default tier, as `run` does
        // (MINIX318EMU_TIER=check, which runs a whole test suite under the checker, is obeyed here
        // too; only asking for check on the command line is refused).
        ExecutionTier bootTier = o.Tier is null ? TierDefault.ForCommandLine : SessionBuilder.ParseTier(o.Tier);
        if ((o.Minix ?? o.DiskBoot ?? o.Linux) is not null && o.Tier is not null && bootTier == ExecutionTier.Check)
        {
            throw new Configuration.UsageException("--tier check: not a tier to benchmark (it runs every compiled block twice); use interp or jit");
        }
        if (o.Minix is not null)
        {
            return MinixBench.Run(o.Minix, o.Repeat, o.Qemu, bootTier);
        }
        if (o.DiskBoot is not null)
        {
            return DiskBootBench.Run(o.DiskBoot, o.Repeat, o.Bios, bootTier);
        }
        if (o.Linux is not null)
        {
            return LinuxBench.Run(o.Linux, o.Initrd, o.Append, o.Repeat, bootTier);
        }
        var guests = o.Guest is not null ? new[] { (o.Guest, "") } : DefaultGuests();
        ExecutionTier[] tiers = o.Tier is null ? [ExecutionTier.Interp, ExecutionTier.Jit] : [SessionBuilder.ParseTier(o.Tier)];
        if (tiers.Contains(ExecutionTier.Check))
        {
            throw new Configuration.UsageException("--tier check: not a tier to benchmark (it runs every compiled block twice); use interp or jit");
        }
        string? qemuPath = QemuBinary.Resolve(o.Qemu);
        Console.WriteLine($"{"guest",-16} {"tier",-6} {"instructions",14} {"median s",10} {"MIPS",8} {"interrupts/s",14} {"speed-up",9}  (median of {o.Repeat}, after 1 warm-up; qemu: net of QEMU's start-up)");
        QemuGuestBench? qemu = null;
        if (qemuPath is null)
        {
            Console.WriteLine($"{"qemu",-16} not measured ({QemuBinary.Absence(o.Qemu)})");
        }
        else
        {
            qemu = QemuGuestBench.Open(qemuPath, o.Repeat);
        }
        bool qemuAgreed = true;
        foreach (var (g, append) in guests)
        {
            string name = append.Length == 0 ? Path.GetFileName(g) : $"{Path.GetFileNameWithoutExtension(g)} {append}";
            var measured = new List<QemuGuestBench.TierRun>();
            foreach (ExecutionTier tier in tiers)
            {
                (Measurement warmUp, string serial) = WarmUp(g, append, tier);
                var runs = new List<Measurement>();
                for (int i = 0; i < o.Repeat; i++)
                {
                    runs.Add(Measure(g, append, tier));
                }
                runs.Sort((a, b) => a.Result.Elapsed.CompareTo(b.Result.Elapsed));
                Measurement median = runs[runs.Count / 2];
                RunResult m = median.Result;
                double perSecond = median.Interrupts / m.Elapsed.TotalSeconds;
                double seconds = m.Elapsed.TotalSeconds;
                string tierName = tier.ToString().ToLowerInvariant();
                double interpSeconds = measured.FirstOrDefault(t => t.Tier == "interp")?.Seconds ?? 0;
                string speedUp = tier != ExecutionTier.Interp && interpSeconds > 0 ? $"{interpSeconds / seconds,8:0.00}x" : "";
                Console.WriteLine($"{name,-16} {tierName,-6} {m.Instructions,14} {seconds,10:0.0000} {m.Mips,8:0.0} {perSecond,14:0} {speedUp,9}");
                if (median.Compiler is { } c)
                {
                    Console.WriteLine($"{"",-16} {"",-6} compiled {c.BlocksCompiled} blocks, {c.IlBytes} IL bytes, {c.CompileMilliseconds:0} ms compiling (compile thread), {c.CompiledRuns * 100.0 / Math.Max(1, c.CompiledRuns + c.InterpretedRuns):0.0} % of block runs compiled");
                }
                foreach (RunResult r in runs.Select(x => x.Result).Prepend(warmUp.Result))
                {
                    if (r.Reason != StopReason.GuestExit)
                    {
                        Console.Error.WriteLine($"minix318emu: {name} did not exit cleanly under --tier {tierName}: {r.Message}");
                        return ExitCodes.For(r);
                    }
                }
                measured.Add(new QemuGuestBench.TierRun(tierName, seconds, serial, ExitCodes.For(warmUp.Result)));
            }
            if (qemu is not null)
            {
                qemuAgreed &= qemu.Row(name, g, append, measured);
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
        // Every row was measured; a guest QEMU did not run as the emulator did fails the command, as conformance's mismatches do.
        return qemuAgreed ? 0 : 1;
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

    private static Measurement Measure(string kernel, string append, ExecutionTier tier, string serial = "none")
    {
        using Session session = BenchSession.Build(kernel, append, maxInstructions: 20_000_000_000, tier: tier.ToString().ToLowerInvariant(), serial: serial);
        RunResult r = RunWithStatus(session, Path.GetFileName(kernel) + (append.Length > 0 ? " " + append : ""));
        return new Measurement(r, session.Pc.Board.Pic.Acknowledged, session.Machine.Cpu.CompilerStatistics);
    }

    /// <summary>
    /// The untimed warm-up run, with the guest's console kept (in a file: the serial sink writes
    /// each byte as it is sent) for the comparison with QEMU's; the timed runs discard it.
    /// </summary>
    private static (Measurement Run, string Serial) WarmUp(string kernel, string append, ExecutionTier tier)
    {
        string path = Path.Combine(Path.GetTempPath(), $"minix318emu-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.serial");
        try
        {
            Measurement m = Measure(kernel, append, tier, "file:" + path);
            return (m, File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed record Measurement(RunResult Result, long Interrupts, CompilerStatistics? Compiler);
}
