using System.Diagnostics;
using System.Security.Cryptography;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Emulator.Processor.Compiler;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;
using Minix318Emu.Tracing.Tracer;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// `bench --minix DIR`: the real workload. DIR's kernel, modules, cmdline.txt and disk.img
/// booted by multiboot to the guest tick `login: ` appears, once as `run` does and once as
/// `trace --profile minix3` does (the trace written to a temporary file and completed), the two
/// alternating, one warm-up pair and then the median of --repeat; then QEMU booting the same
/// files by the README's command, when qemu-system-i386 is there. "wall s" runs from building
/// the session (files read) to `login:`, as QEMU's runs from its start; MIPS is instructions
/// over the run alone (first instruction to `login:`); "CPU s" is the process's processor time
/// over the same span as "wall s" (steadier than wall time on a shared machine). Also the slow-path event counts of one
/// boot, which say where an address-space-switching microkernel's time goes.
/// </summary>
internal static class MinixBench
{
    private const ulong MaxInstructions = 3_000_000_000;
    private static readonly TimeSpan QemuTimeout = TimeSpan.FromSeconds(180);

    private sealed record Sample(TimeSpan Wall, TimeSpan Run, TimeSpan Cpu, double GuestSeconds, ulong Instructions, string? TraceHash, long TraceCalls, Snapshot Events);

    /// <summary>The counters of one boot, read when `login:` appeared.</summary>
    private sealed record Snapshot(CpuCounters Cpu, long Interrupts, long Irqs, ulong Instructions, double IdleSeconds, long BlocksDecoded, long BlocksInvalidated);

    public static int Run(string directory, int repeat, string qemuName, ExecutionTier tier)
    {
        MinixDistribution d = MinixDistribution.Open(directory);
        string disk = d.Disk("disk.img", MinixDistribution.DefaultCache);
        string? qemu = QemuBinary.Resolve(qemuName);
        var settings = new EmulatorSettings { Kernel = d.Kernel, Modules = d.Modules.ToList(), Append = d.CommandLine, Disks = [disk], Serial = "none", MaxInstructions = MaxInstructions, Tier = tier.ToString().ToLowerInvariant() };
        string tmp = Directory.CreateTempSubdirectory("minix318emu-minixbench-").FullName;
        try
        {
            var runs = new List<Sample>();
            var traces = new List<Sample>();
            for (int i = 0; i <= repeat; i++)
            {
                Sample? r = Once(settings, trace: false, tmp, out RunResult result);
                Sample? t = r is null ? null : Once(settings, trace: true, tmp, out result);
                if (r is null || t is null)
                {
                    Console.Error.WriteLine($"minix318emu: the MINIX boot ({(r is null ? "run" : "trace")}) did not reach login: ({result.Reason}: {result.Message})");
                    return ExitCodes.For(result);
                }
                if (i > 0)
                {
                    runs.Add(r);
                    traces.Add(t);
                }
            }
            Console.WriteLine($"{"MINIX boot to login:",-24} {"instructions",12} {"guest s",8} {"wall s",8} {"min",7} {"max",7} {"run s",7} {"MIPS",7} {"CPU s",7}  (--tier {tier.ToString().ToLowerInvariant()}; medians of {repeat}, after 1 warm-up, alternating)");
            Sample run = Row("run", runs);
            Sample traced = Row("trace --profile minix3", traces);
            double overhead = (traced.Run.TotalSeconds / run.Run.TotalSeconds - 1) * 100;
            bool identical = traces.Select(x => x.TraceHash).Distinct().Count() == 1;
            Console.WriteLine($"trace against run: {SignedNumber.Format(overhead, 1)}% run time, {traced.TraceCalls} allocator calls; same instructions: {(runs.Concat(traces).Select(x => x.Instructions).Distinct().Count() == 1 ? "yes" : "NO")}; traces byte-identical: {(identical ? "yes" : "NO")} ({traces.Count} traces)");
            if (qemu is not null)
            {
                var walls = new List<TimeSpan>();
                for (int i = 0; i < repeat; i++)
                {
                    (TimeSpan? w, string why) = QemuLoginTimer.Measure(qemu, d, disk, QemuTimeout);
                    if (w is null)
                    {
                        Console.WriteLine($"{"qemu-system-i386",-24} did not reach login: ({why})");
                        walls.Clear();
                        break;
                    }
                    walls.Add(w.Value);
                }
                if (walls.Count > 0)
                {
                    walls.Sort();
                    double q = walls[walls.Count / 2].TotalSeconds;
                    Console.WriteLine($"{"qemu-system-i386 (TCG)",-24} {"",12} {"",8} {q,8:0.000} {walls[0].TotalSeconds,7:0.000} {walls[^1].TotalSeconds,7:0.000}  ({qemu})");
                    Console.WriteLine($"emulator / QEMU wall time: run {run.Wall.TotalSeconds / q:0.00}, trace {traced.Wall.TotalSeconds / q:0.00}");
                }
            }
            else
            {
                Console.WriteLine($"{"qemu-system-i386",-24} not measured ({QemuBinary.Absence(qemuName)})");
            }
            PrintEvents(run.Events);
            return 0;
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    private static Sample Row(string name, List<Sample> samples)
    {
        var byWall = samples.OrderBy(s => s.Wall).ToList();
        Sample m = byWall[byWall.Count / 2];
        TimeSpan run = samples.Select(s => s.Run).Order().ElementAt(samples.Count / 2);
        TimeSpan cpu = samples.Select(s => s.Cpu).Order().ElementAt(samples.Count / 2);
        Console.WriteLine($"{name,-24} {m.Instructions,12} {m.GuestSeconds,8:0.000} {m.Wall.TotalSeconds,8:0.000} {byWall[0].Wall.TotalSeconds,7:0.000} {byWall[^1].Wall.TotalSeconds,7:0.000} {run.TotalSeconds,7:0.000} {m.Instructions / run.TotalSeconds / 1e6,7:0.0} {cpu.TotalSeconds,7:0.000}");
        return m with { Run = run, Cpu = cpu };
    }

    private static void PrintEvents(Snapshot e)
    {
        CpuCounters c = e.Cpu;
        double perM = 1e6 / e.Instructions;
        Console.WriteLine($"events of one boot to login: (per million instructions):");
        Console.WriteLine($"  blocks run {c.BlocksRun} ({e.Instructions / (double)c.BlocksRun:0.0} instructions each), chained {c.ChainHits} ({100.0 * c.ChainHits / c.BlocksRun:0.0}%; {c.Relinks} across a CR3 load), looked up {c.Lookups} ({100.0 * c.FastLookupHits / Math.Max(1, c.Lookups):0.0}% in the direct-mapped array)");
        Console.WriteLine($"  blocks decoded {e.BlocksDecoded}, invalidated by writes to code {e.BlocksInvalidated}");
        Console.WriteLine($"  CR3 loads {c.Cr3Loads} ({c.Cr3Loads * perM:0.0}), full TLB flushes {c.FullTlbFlushes}, page flushes {c.PageFlushes} ({c.PageFlushes * perM:0.0}), page walks {c.PageWalks} ({c.PageWalks * perM:0.0}), page faults {c.PageFaults}");
        Console.WriteLine($"  mode changes {c.ModeChanges} ({c.ModeChanges * perM:0.0}), interrupts and exceptions {e.Interrupts} ({e.Interrupts * perM:0.0}), of them IRQs {e.Irqs}");
        Console.WriteLine($"  port accesses {c.PortAccesses} ({c.PortAccesses * perM:0.0}), HLT {c.Halts}, idle guest time skipped {e.IdleSeconds:0.000} s");
    }

    private static Sample? Once(EmulatorSettings settings, bool trace, string tmp, out RunResult result)
    {
        LoginBoot.CollectPreviousMachine();
        using var self = Process.GetCurrentProcess();
        TimeSpan cpuStart = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        using Session session = LoginBoot.Build(settings);
        RunResult r;
        string? path = null;
        long calls = 0;
        if (trace)
        {
            AllocatorProfile profile = AllocatorProfile.Load("minix3");
            var images = session.Files.Select(f => f.Data is null
                ? TracedImage.Load(f.Path, f.IsKernel ? ImageScope.Kernel : ImageScope.User)
                : TracedImage.FromBytes(f.Path, f.Data, f.IsKernel ? ImageScope.Kernel : ImageScope.User)).ToList();
            path = Path.Combine(tmp, "trace.m318");
            using (var writer = new TraceWriter(path, TraceHeader.For(profile.Name, images, settings.InstructionsPerSecond)))
            using (var tracer = new AllocationTracer(session.Machine, profile, images, writer))
            using (Progress.StatusLine.ForRun(BenchCommand.Ui, () => RunCommand.Counters(session.Machine, tracer.Calls, writer.BytesWritten), "minix trace"))
            {
                r = session.Run(beforeClose: tracer.Finish);
                calls = tracer.Calls;
            }
        }
        else
        {
            using (Progress.StatusLine.ForRun(BenchCommand.Ui, () => RunCommand.Counters(session.Machine), "minix run"))
            {
                r = session.Run();
            }
        }
        TimeSpan wall = sw.Elapsed;
        self.Refresh();
        TimeSpan cpuUsed = self.TotalProcessorTime - cpuStart;
        result = r;
        string? hash = path is null ? null : Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        if (r.Reason != StopReason.ScriptStopped)
        {
            return null;
        }
        PcMachine m = session.Machine;
        var events = new Snapshot(m.Cpu.Counters, m.Cpu.InterruptsDelivered, session.Pc.Board.Pic.Acknowledged, r.Instructions,
            m.Clock.IdleTicks / (double)m.Clock.TicksPerSecond, m.Cpu.BlocksDecoded, m.Cpu.BlocksInvalidated);
        return new Sample(wall, r.Elapsed, cpuUsed, m.Clock.NowNanoseconds / 1e9, r.Instructions, hash, calls, events);
    }
}
