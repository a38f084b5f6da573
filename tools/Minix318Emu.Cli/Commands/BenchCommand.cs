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
        if (o.Repeat < 1)
        {
            throw new Configuration.UsageException($"--repeat {o.Repeat}: must be at least 1");
        }
        if (o.Reports)
        {
            ReportsBench.Run(o.HtmlCalls, o.AnalyzeCalls);
            return 0;
        }
        if (o.DiskBoot is not null)
        {
            return DiskBootBench.Run(o.DiskBoot, o.Repeat, o.Bios);
        }
        if (o.Linux is not null)
        {
            return LinuxBench.Run(o.Linux, o.Initrd, o.Append, o.Repeat);
        }
        var guests = o.Guest is not null ? new[] { o.Guest } : new[] { BundledGuests.PathOf("bench"), BundledGuests.PathOf("selfcheck"), BundledGuests.PathOf("irqbench") };
        Console.WriteLine($"{"guest",-16} {"instructions",14} {"median s",10} {"MIPS",8} {"interrupts/s",14}  (median of {o.Repeat}, after 1 warm-up)");
        foreach (string g in guests)
        {
            Measure(g);
            var runs = new List<(RunResult Result, long Interrupts)>();
            for (int i = 0; i < o.Repeat; i++)
            {
                runs.Add(Measure(g));
            }
            runs.Sort((a, b) => a.Result.Elapsed.CompareTo(b.Result.Elapsed));
            var (m, interrupts) = runs[runs.Count / 2];
            double perSecond = interrupts / m.Elapsed.TotalSeconds;
            Console.WriteLine($"{Path.GetFileName(g),-16} {m.Instructions,14} {m.Elapsed.TotalSeconds,10:0.0000} {m.Mips,8:0.0} {perSecond,14:0}");
            if (m.Reason != StopReason.GuestExit)
            {
                Console.Error.WriteLine($"minix318emu: {Path.GetFileName(g)} did not exit cleanly: {m.Message}");
                return ExitCodes.For(m);
            }
        }
        if (o.Gdb)
        {
            GdbBench.Run(BundledGuests.PathOf("bench"), o.Repeat);
        }
        if (o.Trace)
        {
            TraceBench.Run(o.Repeat, o.AnalyzeCalls);
        }
        return 0;
    }

    private static (RunResult Result, long Interrupts) Measure(string kernel)
    {
        BootedPc pc = MachineFactory.Boot(kernel, "", Array.Empty<ModuleSpec>(), 256u << 20, new NullSerialSink());
        RunResult r = pc.Machine.Run(new RunLimits(MaxInstructions: 20_000_000_000));
        return (r, pc.Board.Pic.Acknowledged);
    }
}
