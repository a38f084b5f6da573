using Minix318Emu.Cli.Commands;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor.Compiler;
using Minix318Emu.Emulator.Snapshots;
using Minix318Emu.Images.Elf;
using Minix318Emu.Images.Minix;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Minix;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;
using Minix318Emu.Tracing.Tracer;

namespace Minix318Emu.Tests.Support;

/// <summary>
/// The real MINIX 3.4 booted as `trace --profile minix3` boots it (256 MiB, the root disk on the
/// primary master as a copy-on-write overlay, the kernel command line, the 12 modules) to a
/// fixed instruction count past login: — login: appears after 310.6 M instructions, and
/// nothing is allocated while getty waits — so every run ends at the same instruction.
/// </summary>
public static class RealMinixTrace
{
    public const ulong Instructions = 330_000_000;

    /// <summary>The functions of the minix3 profile (for the independent count).</summary>
    public static readonly string[] Functions = { "alloc_mem", "free_mem", "slaballoc", "slabfree", "malloc", "free", "realloc", "calloc", "sbrk", "brk", "mmap", "munmap" };

    public sealed record Outcome(string TracePath, RunResult Result, string Serial, IReadOnlyList<string> Missing, MinixProcessTable Table,
        MinixTraceDiagnostics Diagnostics, IReadOnlyDictionary<(string Process, string Function), long>? IndependentCounts, byte[] PagedTable, byte[] PhysicalTable,
        CompilerStatistics? Compiler);

    public static Outcome Run(MinixDistribution d, string tracePath, bool count, ExecutionTier tier = ExecutionTier.Interp)
    {
        var sink = new MemorySerialSink();
        BootedPc pc = Boot(d, sink);
        try
        {
            pc.Machine.Cpu.Tier = tier;
            EntryCounter? counter = count
                ? new EntryCounter(pc.Machine, ElfFile.Load(d.Kernel), d.Modules.Select(ElfFile.Load), Functions)
                : null;
            AllocatorProfile profile = AllocatorProfile.Load("minix3");
            List<TracedImage> images = Images(d);
            using var writer = new TraceWriter(tracePath, TraceHeader.For(profile.Name, images, PcMachine.DefaultTicksPerSecond));
            using var tracer = new AllocationTracer(pc.Machine, profile, images, writer);
            RunResult r = pc.Machine.Run(new RunLimits(Instructions));
            tracer.Finish();
            MinixProcessTable table = tracer.Minix!;
            // The table as the running kernel sees it through its page tables, and as the tracer reads it (physical memory).
            var paged = new byte[table.Size];
            Assert.True(pc.Machine.Cpu.TryReadLinear(table.Base, paged));
            var physical = new byte[table.Size];
            pc.Machine.Memory.ReadBytes(table.Physical(table.Base), physical);
            return new Outcome(tracePath, r, sink.Text, tracer.MissingSymbols, table, tracer.Diagnostics, counter?.Counts, paged, physical, pc.Machine.Cpu.CompilerStatistics);
        }
        finally
        {
            pc.Board.Dispose();
        }
    }

    /// <summary>
    /// The same traced boot cut at <paramref name="cutAt"/> as `trace --save-state` and
    /// `trace --load-state --continue-trace` cut it: the first machine runs to the cut, saves
    /// itself with the tracer's and the writer's positions and finishes its trace file; a second
    /// machine, built afresh and loaded from that state, continues the file to the same end.
    /// Returns the trace's path and the two machines' instruction counts.
    /// </summary>
    public static (string TracePath, ulong First, ulong Second) RunResumed(MinixDistribution d, string tracePath, ulong cutAt)
    {
        AllocatorProfile profile = AllocatorProfile.Load("minix3");
        List<TracedImage> images = Images(d);
        TraceHeader header = TraceHeader.For(profile.Name, images, PcMachine.DefaultTicksPerSecond);
        string state = tracePath + ".state";
        BootedPc first = Boot(d, new MemorySerialSink());
        ulong firstLeg;
        try
        {
            using var writer = new TraceWriter(tracePath, header);
            using var tracer = new AllocationTracer(first.Machine, profile, images, writer);
            RunResult r = first.Machine.Run(new RunLimits(cutAt));
            Assert.Equal(StopReason.LimitReached, r.Reason);
            firstLeg = r.Instructions;
            first.Board.SaveState(state, [(TraceCommand.TracerStateId, tracer), (TraceCommand.WriterStateId, writer.Position())]);
            tracer.Finish(); // the saving run's file ends with its unreturned calls and footer, which the continuation replaces
        }
        finally
        {
            first.Board.Dispose();
        }

        BootedPc second = Boot(d, new MemorySerialSink());
        try
        {
            StateFile saved = StateFile.Read(state);
            second.Board.LoadState(saved);
            var at = new TraceWriterPosition();
            saved.Load(TraceCommand.WriterStateId, at);
            using var writer = TraceWriter.Continue(tracePath, header, at);
            using var tracer = new AllocationTracer(second.Machine, profile, images, writer);
            saved.Load(TraceCommand.TracerStateId, tracer);
            RunResult r = second.Machine.Run(new RunLimits(Instructions - cutAt));
            tracer.Finish();
            return (tracePath, firstLeg, r.Instructions);
        }
        finally
        {
            second.Board.Dispose();
        }
    }

    private static BootedPc Boot(MinixDistribution d, MemorySerialSink sink)
    {
        var board = new BoardConfig { Com1Sink = sink, Disks = new Dictionary<IdeSlot, DiskImage> { [new IdeSlot(0, 0)] = DiskImage.Open(RealMinix.RootDisk(d), false) } };
        return MachineFactory.Boot(d.Kernel, d.CommandLine, d.Modules.Select(m => new ModuleSpec(m, m)).ToList(), 256u << 20, board);
    }

    private static List<TracedImage> Images(MinixDistribution d)
    {
        var images = new List<TracedImage> { TracedImage.Load(d.Kernel, ImageScope.Kernel) };
        images.AddRange(d.Modules.Select(m => TracedImage.Load(m, ImageScope.User)));
        return images;
    }
}
