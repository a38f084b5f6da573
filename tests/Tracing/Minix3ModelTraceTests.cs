using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Tracing;

/// <summary>
/// The built-in minix3 profile on the stock-MINIX-3 model (images/guests/minix3): the VM server's
/// click allocator and slab allocator, and libc's malloc over brk/sbrk and mmap/munmap in VM and
/// PM, each server its own process. Expected numbers follow from vm.c, pm.c and libc.c.
/// </summary>
public sealed class Minix3ModelTraceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-m3-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ServersAllocators_BackendsAndProcesses()
    {
        var o = TraceRunner.Run(Path.Combine(_dir, "m3.m318"), profileName: "minix3", programs: new[] { "vm", "pm" });
        Assert.Equal(StopReason.GuestExit, o.Result.Reason);
        Assert.Contains("vm: ok", o.Serial);
        Assert.Contains("pm: ok", o.Serial);
        Assert.Empty(o.Missing);
        TraceFile t = TraceReader.Read(o.TracePath);
        AnalysisReport r = TraceAnalyzer.Analyze(t);
        TopologyEdge Edge(string p, string from, string to) =>
            r.Edges.SingleOrDefault(e => e.Process == p && e.From == from && e.To == to) ?? throw new Xunit.Sdk.XunitException($"no edge {p}: {from} -> {to}");

        Assert.Equal(new[] { "pm", "vm" }, t.Processes.Values.Select(p => p.Name).OrderBy(n => n));
        Assert.All(t.Processes.Values, p => Assert.Null(p.Endpoint));    // the model kernel has no MINIX process table
        Assert.Empty(t.Messages);
        Assert.Equal("slab", t.Functions.Values.Single(f => f.Name == "slaballoc").Family);
        Assert.Equal(7, Edge("vm", "main", "slaballoc").Calls);            // six regions and one page-table-sized object
        Assert.Equal(172ul, Edge("vm", "main", "slaballoc").Bytes);        // 6 x 12 + 100
        Assert.Equal(2, Edge("vm", "slaballoc", "alloc_mem").Calls);       // one page per size class used (16 and 112)
        Assert.Equal(6, Edge("vm", "main", "alloc_mem").Calls);
        Assert.Equal(49152ul, Edge("vm", "main", "alloc_mem").Bytes);      // (1+2+3+1+2+3) clicks of 4 KiB
        Assert.Equal(3, Edge("vm", "main", "free_mem").Calls);             // regions 0, 2, 4
        Assert.Equal(1, Edge("vm", "main", "malloc").Calls);               // VM links libc too
        Assert.Equal(1, Edge("vm", "malloc", "sbrk").Calls);
        Assert.Equal(2, Edge("vm", "sbrk", "brk").Calls);             // the pool and the malloc: each sbrk moves the break with brk
        Assert.Equal(1, Edge("pm", "calloc", "malloc").Calls);
        Assert.Equal(128ul, Edge("pm", "calloc", "malloc").Bytes);         // 8 x 16
        Assert.Equal(1, Edge("pm", "realloc", "malloc").Calls);            // 64 -> 1000 moves
        Assert.Equal(1, Edge("pm", "realloc", "free").Calls);
        Assert.Equal(1, Edge("pm", "malloc", "mmap").Calls);               // 100000 bytes: over the 64 KiB threshold
        Assert.Equal(100016ul, Edge("pm", "malloc", "mmap").Bytes);        // rounded to 16 plus the header
        Assert.Equal(1, Edge("pm", "free", "munmap").Calls);
        Assert.Contains(r.Leaks, l => l.Process == "pm" && l.Allocator == "calloc" && l.Size == 128);
        Assert.Empty(r.Anomalies);
    }
}
