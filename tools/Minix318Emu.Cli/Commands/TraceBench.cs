using System.Diagnostics;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;
using Minix318Emu.Tracing.Tracer;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// Measures the tracer: the slowdown of trace against run on a guest where allocator calls are a
/// small share of the work, the rate of traced calls on a guest that does nothing else, the
/// writer's raw rate, and how long analyze takes for 10 million calls.
/// </summary>
public static class TraceBench
{
    /// <summary>Runs the measurements and prints them.</summary>
    public static void Run(int repeat, long analyzeCalls)
    {
        string dir = Directory.CreateTempSubdirectory("minix318emu-tracebench-").FullName;
        try
        {
            string sparse = BundledGuests.PathOf("tracebench");
            // Interleaved, so drift in the machine's speed affects all three alike.
            var runs = new List<double>();
            var idle = new List<double>();
            var traced = new List<double>();
            Once(sparse, dir, trace: false);
            Once(sparse, dir, trace: true);
            for (int i = 0; i < repeat; i++)
            {
                runs.Add(Once(sparse, dir, trace: false).Mips);
                idle.Add(Once(sparse, dir, trace: true, hookNothing: true).Mips);
                traced.Add(Once(sparse, dir, trace: true).Mips);
            }
            double runMips = Median(runs), idleMips = Median(idle), traceMips = Median(traced);
            Console.WriteLine($"{"trace slowdown",-16} run {runMips:0.0} MIPS, trace {traceMips:0.0} MIPS: {(runMips / traceMips - 1) * 100:0.0}% slower (tracebench.elf: a kalloc/kfree pair every 1000 iterations, one traced call per ~1800 instructions)");
            Console.WriteLine($"{"tracer, no hooks",-16} {idleMips:0.0} MIPS: {(runMips / idleMips - 1) * 100:0.0}% (tracer attached, nothing in the image to hook: the fixed cost)");
            string sparser = BundledGuests.PathOf("tracesparse");
            var sparseRuns = new List<double>();
            var sparseTraced = new List<double>();
            for (int i = 0; i < repeat; i++)
            {
                sparseRuns.Add(Once(sparser, dir, trace: false).Mips);
                sparseTraced.Add(Once(sparser, dir, trace: true).Mips);
            }
            double sr = Median(sparseRuns), st = Median(sparseTraced);
            Console.WriteLine($"{"trace slowdown",-16} run {sr:0.0} MIPS, trace {st:0.0} MIPS: {(sr / st - 1) * 100:0.0}% slower (tracesparse.elf: a pair every 10000 iterations, one traced call per ~18000 instructions)");
            string dense = BundledGuests.PathOf("allocbench");
            var r = Once(dense, dir, trace: true);
            Console.WriteLine($"{"traced calls",-16} {r.Calls / r.Seconds,14:0} calls/s (allocbench.elf: {r.Calls} calls in {r.Seconds:0.000} s, nothing but kalloc/kfree)");
            Console.WriteLine($"{"trace writer",-16} {WriterRate(Path.Combine(dir, "w.m318"), 2_000_000),14:0} events/s (2 M call records, raw writer)");
            string big = Path.Combine(dir, "big.m318");
            Synthesize(big, analyzeCalls);
            var sw = Stopwatch.StartNew();
            TraceFile t = TraceReader.Read(big);
            TimeSpan read = sw.Elapsed;
            AnalysisReport rep = TraceAnalyzer.Analyze(t);
            sw.Stop();
            Console.WriteLine($"{"analyze",-16} {sw.Elapsed.TotalSeconds,14:0.00} s for {analyzeCalls / 1e6:0} M calls (read {read.TotalSeconds:0.00} s, analyse {(sw.Elapsed - read).TotalSeconds:0.00} s; {rep.Leaks.Count} leaks)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private sealed record Result(double Mips, long Calls, double Seconds);

    private static Result Once(string kernel, string dir, bool trace, bool hookNothing = false)
    {
        using Session session = BenchSession.Build(kernel, "", maxInstructions: 10_000_000_000, memory: "64M");
        if (!trace)
        {
            RunResult r0 = session.Run();
            return new Result(r0.Mips, 0, r0.Elapsed.TotalSeconds);
        }
        AllocatorProfile profile = AllocatorProfile.Load("minix318");
        if (hookNothing)
        {
            profile.Functions.Clear();
        }
        var images = new List<TracedImage> { TracedImage.Load(kernel, ImageScope.Kernel) };
        using var writer = new TraceWriter(Path.Combine(dir, "bench.m318"), TraceHeader.For(profile.Name, images, PcMachine.DefaultTicksPerSecond));
        using var tracer = new AllocationTracer(session.Machine, profile, images, writer);
        RunResult r = session.Run();
        tracer.Finish();
        return new Result(r.Mips, tracer.Calls, r.Elapsed.TotalSeconds);
    }

    private static TraceHeader SyntheticHeader() =>
        new(TraceFormat.Version, "synthetic", PcMachine.DefaultTicksPerSecond, new[] { new TraceImage("synthetic", new string('0', 64), ImageScope.Kernel) });

    private static double WriterRate(string path, int n)
    {
        using var w = new TraceWriter(path, SyntheticHeader());
        w.Define(new TraceFunction(0, "kalloc", AllocatorRole.Alloc, "kalloc", "synthetic", 0x100000));
        w.Define(new TraceProcess(0, "kernel", 0));
        var stack = new[] { TraceFrame.Of(0x100100, "caller+0x10"), TraceFrame.Of(0x100200, "main+0x20") };
        var args = new uint[] { 64 };
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            w.Write(new TraceCall(i, -1, 0, 0, (ulong)i * 100, (ulong)i * 100 + 50, true, args, 64, 0, 0x200000u + (uint)i * 64, stack[0], stack));
        }
        w.Complete();
        return n / sw.Elapsed.TotalSeconds;
    }

    /// <summary>A trace of alternating allocations and frees (one in eight never freed) over three callers.</summary>
    public static void Synthesize(string path, long calls)
    {
        using var w = new TraceWriter(path, SyntheticHeader());
        w.Define(new TraceFunction(0, "kalloc", AllocatorRole.Alloc, "kalloc", "synthetic", 0x100000));
        w.Define(new TraceFunction(1, "kfree", AllocatorRole.Free, "kalloc", "synthetic", 0x100100));
        w.Define(new TraceProcess(0, "kernel", 0));
        var callers = new[] { TraceFrame.Of(0x101000, "ipc_kmsg_copyin+0x1a"), TraceFrame.Of(0x102000, "setupkvm+0x15"), TraceFrame.Of(0x103000, "walkpgdir+0x35") };
        var args = new uint[] { 64, 0 };
        for (long i = 0; i + 1 < calls; i += 2)
        {
            uint ptr = 0x1000000u + (uint)(i % 1_000_000) * 16;
            TraceFrame c = callers[i % 3];
            var stack = new[] { c };
            ulong t = (ulong)i * 1000;
            w.Write(new TraceCall(i, -1, 0, 0, t, t + 100, true, args, (ulong)(16 << (int)(i % 5)), 0, ptr, c, stack));
            bool leak = i % 16 == 0;
            w.Write(new TraceCall(i + 1, -1, 1, 0, t + 500, t + 600, true, args, 0, leak ? 0u : ptr, 0, c, stack));
        }
    }
}
