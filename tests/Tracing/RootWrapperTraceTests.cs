using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Tracing;

/// <summary>
/// The root-level wrappers (malloc/free/realloc over kalloc/kfree/krealloc) in their own kernel
/// image, minix318root.elf: the same symbol names as the coremap allocator, told apart by the
/// profile's image filter. Expected numbers follow from images/guests/minix318/rootmain.c.
/// </summary>
public sealed class RootWrapperTraceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-root-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Wrappers_AreHookedAsTheirOwnFamily_OverKalloc()
    {
        var o = TraceRunner.Run(Path.Combine(_dir, "r.m318"), kernelName: "minix318root", programs: Array.Empty<string>());
        Assert.Equal(StopReason.GuestExit, o.Result.Reason);
        Assert.Contains("minix318root model: done", o.Serial);
        // No coremap here (its mfree is reported missing, not fatal), and no user programs; the wrappers all bound.
        Assert.Contains("mfree (kernel)", o.Missing);
        Assert.DoesNotContain(o.Missing, m => m.Contains("*root*", StringComparison.Ordinal));
        TraceFile t = TraceReader.Read(o.TracePath);
        AnalysisReport r = TraceAnalyzer.Analyze(t);
        var malloc = t.Functions.Values.Single(f => f.Name == "malloc");
        Assert.Equal("rootwrap", malloc.Family);                     // the *root* entry wins over the coremap's malloc
        TopologyEdge Edge(string from, string to) => r.Edges.Single(e => e.From == from && e.To == to);
        Assert.Equal(5, Edge("bufcache_init", "malloc").Calls);      // the table and four buffers
        Assert.Equal(2064ul, Edge("bufcache_init", "malloc").Bytes); // 16 + 4 x 512
        Assert.Equal(6, Edge("malloc", "kalloc").Calls);             // five, and realloc(NULL, 64)'s
        Assert.Equal(2176ul, Edge("malloc", "kalloc").Bytes);        // 2064 + 64, each of the six with an 8-byte size header
        Assert.Equal(2, Edge("names_grow", "realloc").Calls);
        Assert.Equal(1, Edge("realloc", "krealloc").Calls);          // the 64 -> 3000 growth
        Assert.Equal(3008ul, Edge("realloc", "krealloc").Bytes);
        Assert.Equal(1, Edge("krealloc", "kalloc").Calls);
        Assert.Equal(1, Edge("krealloc", "kfree").Calls);
        Assert.Equal(2, Edge("kmain", "free").Calls);
        Assert.Equal(new ulong[] { 16, 512, 512, 512 }, r.Leaks.Where(l => l.Allocator == "malloc").Select(l => l.Size).OrderBy(x => x));
        Assert.Empty(r.Anomalies);
    }
}
