using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;
using Minix318Emu.Tracing.Tracer;

namespace Minix318Emu.Tests.Support;

/// <summary>Traces a MINIX318-model guest (by default the bundled kernel with prog_a, prog_b and prog_ucb) into a file.</summary>
internal static class TraceRunner
{
    public sealed record Outcome(string TracePath, RunResult Result, string Serial, IReadOnlyList<string> Missing, double Seconds);

    public static Outcome Run(string tracePath, string profileName = "minix318", ulong maxInstructions = 2_000_000_000, bool attach = true,
        string kernelName = "minix318", string[]? programs = null, int blockBytes = TraceFormat.BlockBytes, Emulator.Processor.Compiler.ExecutionTier? tier = null)
    {
        string kernel = Repo.Guest(kernelName);
        string[] progs = (programs ?? new[] { "prog_a", "prog_b", "prog_ucb" }).Select(Repo.Guest).ToArray();
        var sink = new MemorySerialSink();
        BootedPc pc = MachineFactory.Boot(kernel, "", progs.Select(p => new ModuleSpec(p, Path.GetFileNameWithoutExtension(p))).ToList(), 64u << 20, sink);
        if (tier is { } t)
        {
            pc.Machine.Cpu.Tier = t;
        }
        if (!attach)
        {
            var sw0 = System.Diagnostics.Stopwatch.StartNew();
            RunResult r0 = pc.Machine.Run(new RunLimits(maxInstructions));
            return new Outcome(tracePath, r0, sink.Text, Array.Empty<string>(), sw0.Elapsed.TotalSeconds);
        }
        AllocatorProfile profile = AllocatorProfile.Load(profileName);
        var images = new List<TracedImage> { TracedImage.Load(kernel, ImageScope.Kernel) };
        images.AddRange(progs.Select(p => TracedImage.Load(p, ImageScope.User)));
        using var writer = new TraceWriter(tracePath, new FileStream(tracePath, FileMode.Create, FileAccess.Write, FileShare.Read), TraceHeader.For(profile.Name, images, PcMachine.DefaultTicksPerSecond), blockBytes);
        using var tracer = new AllocationTracer(pc.Machine, profile, images, writer);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        RunResult r = pc.Machine.Run(new RunLimits(maxInstructions));
        tracer.Finish();
        return new Outcome(tracePath, r, sink.Text, tracer.MissingSymbols, sw.Elapsed.TotalSeconds);
    }
}
