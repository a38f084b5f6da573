using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Tracing;

/// <summary>
/// The MINIX318-model guest traced end to end. Every expected number below follows from the
/// guest's source (images/guests/minix318): the comments say how.
/// </summary>
public sealed class ModelGuestTraceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-trace-").FullName;
    private readonly AnalysisReport _r;
    private readonly TraceFile _t;

    public ModelGuestTraceTests()
    {
        var o = TraceRunner.Run(Path.Combine(_dir, "t.m318"));
        Assert.Equal(StopReason.GuestExit, o.Result.Reason);
        Assert.Contains("minix318 model: done", o.Serial);
        Assert.Empty(o.Missing); // the root-level wrappers' entries name images (*root*) not traced here: they do not apply
        _t = TraceReader.Read(o.TracePath);
        _r = TraceAnalyzer.Analyze(_t);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TopologyEdge Edge(string process, string from, string to) =>
        _r.Edges.SingleOrDefault(e => e.Process == process && e.From == from && e.To == to)
        ?? throw new Xunit.Sdk.XunitException($"no edge {process}: {from} -> {to}");

    [Fact]
    public void KernelCallerToAllocatorEdges()
    {
        var ipc = Edge("kernel", "ipc_kmsg_copyin", "kalloc");
        Assert.Equal(8, ipc.Calls);                          // 8 messages
        Assert.Equal(656ul, ipc.Bytes);                      // sizes 8+20i plus the 4-byte header, i = 0..7
        Assert.Equal(4, Edge("kernel", "ipc_kmsg_free", "kfree").Calls); // the even ones
        var io = Edge("kernel", "iopb_create", "kalloc");
        Assert.Equal(1, io.Calls);
        Assert.Equal(8196ul, io.Bytes);                      // 4 + 65536/8
        Assert.Equal(3, Edge("kernel", "setupkvm", "kalloc").Calls);   // one page directory per program
        Assert.Equal(6, Edge("kernel", "walkpgdir", "kalloc").Calls);  // text/heap and stack page tables, three times
        Assert.Equal(3, Edge("kernel", "kernel_workload", "malloc").Calls);  // the coremap
        Assert.Equal(28672ul, Edge("kernel", "kernel_workload", "malloc").Bytes);
        Assert.Equal(2, Edge("kernel", "kernel_workload", "mfree").Calls);
    }

    [Fact]
    public void AllocatorToAllocatorAndBackendEdges()
    {
        Assert.Equal(10, Edge("kernel", "kalloc", "kmem_alloc_wired").Calls); // sizes over 512: iopb, 3 directories, 6 tables
        Assert.Equal(1, Edge("kernel", "kget", "zget").Calls);
        Assert.Equal(32ul, Edge("kernel", "kget", "zget").Bytes);            // 24 bytes come from the 32-byte zone
        Assert.Equal(6, Edge("kernel", "boot_kalloc", "kget_space").Calls);  // 5 first allocations + the realloc's 304 bytes
        Assert.Equal(6, Edge("kernel", "kget_space", "vm_map").Calls);
        Assert.Equal(7, Edge("kernel", "boot_kfree", "spin_lock").Calls);    // 5 boot_free + 1 realloc + the final wrong free
        Assert.Equal(5, Edge("kernel", "boot_free", "boot_kfree").Calls);
        var kmem = _r.Edges.Where(e => e.To == "page_alloc").ToList();
        Assert.Single(kmem);
        Assert.Equal("kmem_alloc_wired", kmem[0].From);                     // page_alloc is only reached through kmem_alloc_wired
    }

    [Fact]
    public void UserProgramsAreTheirOwnProcesses_AtTheSameAddresses()
    {
        var procs = _t.Processes.Values.ToList();
        Assert.Equal(4, procs.Count);
        var a = procs.Single(p => p.Name == "prog_a");
        var b = procs.Single(p => p.Name == "prog_b");
        Assert.NotEqual(a.Cr3, b.Cr3);
        var mallocA = _t.Functions.Values.Single(f => f.Name == "malloc" && f.Image == "prog_a");
        var mallocB = _t.Functions.Values.Single(f => f.Name == "malloc" && f.Image == "prog_b");
        Assert.Equal(mallocA.Address, mallocB.Address);                     // same virtual address, told apart by the code mapped
        Assert.Equal(11, Edge("prog_a", "main", "malloc").Calls);           // 10 small + 5000
        Assert.Equal(7, Edge("prog_a", "main", "free").Calls);
        Assert.Equal(1, Edge("prog_a", "calloc", "malloc").Calls);
        Assert.Equal(400ul, Edge("prog_a", "calloc", "malloc").Bytes);      // 100 x 4
        Assert.Equal(372ul, Edge("prog_a", "memalign", "malloc").Bytes);    // 100 + 256 + a 16-byte header
        Assert.Equal(3, Edge("prog_b", "main", "realloc").Calls);
        Assert.Equal(660ul, Edge("prog_b", "main", "realloc").Bytes);       // 120 + 220 + 320
        Assert.Equal(6112ul, Edge("prog_b", "memalign", "malloc").Bytes);   // valloc(2000): 2000 + 4096 + 16
        Assert.Equal(1, Edge("prog_b", "valloc", "memalign").Calls);
    }

    [Fact]
    public void TheUcbProgram_IsTracedAsItsOwnFamily_ThroughTheImageFilter()
    {
        var malloc = _t.Functions.Values.Single(f => f.Name == "malloc" && f.Image == "prog_ucb");
        Assert.Equal("ucb", malloc.Family);                                 // not libmalloc: the profile's *ucb* entry wins
        Assert.Equal(4, Edge("prog_ucb", "main", "malloc").Calls);          // a, b, c, big
        Assert.Equal(5144ul, Edge("prog_ucb", "main", "malloc").Bytes);     // 20 + 24 + 100 + 5000
        Assert.Equal(322ul, Edge("prog_ucb", "main", "realloc").Bytes);     // 22 + 300
        Assert.Equal(1, Edge("prog_ucb", "realloc", "malloc").Calls);       // only the 300-byte one moves
        Assert.Equal(1, Edge("prog_ucb", "realloc", "free").Calls);
        Assert.Equal(4, Edge("prog_ucb", "malloc", "morecore").Calls);      // buckets 2, 4, 6 and 10
        Assert.Equal(20480ul, Edge("prog_ucb", "morecore", "sbrk").Bytes);  // three pages and 8 KiB for bucket 10
        Assert.Equal(new ulong[] { 22 }, _r.Leaks.Where(l => l.Process == "prog_ucb").Select(l => l.Size)); // a, kept by realloc
    }

    [Fact]
    public void LeaksAndAnomalies()
    {
        var leakedA = _r.Leaks.Where(l => l.Process == "prog_a").Select(l => l.Size).OrderBy(x => x).ToList();
        Assert.Equal(new ulong[] { 14, 20, 32, 38, 50, 56 }, leakedA);       // small[1,2,4,5,7,8]: 8 + 6i
        Assert.Equal(new ulong[] { 700 }, _r.Leaks.Where(l => l.Process == "prog_b").Select(l => l.Size));
        var kmsgs = _r.Leaks.Where(l => l.Process == "kernel" && l.Stack.Count > 0 && l.Stack[0].StartsWith("ipc_kmsg_copyin", StringComparison.Ordinal)).Select(l => l.Size).ToList();
        Assert.Equal(new ulong[] { 32, 72, 112, 152 }, kmsgs);               // the odd messages
        Assert.Contains(_r.Leaks, l => l.Allocator == "kget" && l.Size == 24);
        Assert.Contains(_r.Leaks, l => l.Allocator == "malloc" && l.Family == "coremap" && l.Size == 4096);
        Assert.Equal(3, _r.Anomalies.Count);
        var dbl = _r.Anomalies.Where(a => a.Kind == "double-free").OrderBy(a => a.Process).ToList();
        Assert.Equal(new[] { "prog_b", "prog_ucb" }, dbl.Select(a => a.Process));
        Assert.All(dbl, a => Assert.Equal("free", a.Function));
        var cross = _r.Anomalies.Single(a => a.Kind == "cross-family-free");
        Assert.Equal("kernel", cross.Process);
        Assert.Equal("boot_kfree", cross.Function);
        Assert.Contains("allocated by kalloc", cross.Detail);
    }

    [Fact]
    public void ThreadingModel_AndLifetimes()
    {
        var mallocA = _r.Allocators.Single(a => a.Name == "malloc" && a.Image == "prog_a");
        Assert.Equal(14, mallocA.LockCalls);                                 // every malloc takes the heap mutex once
        Assert.StartsWith("locked", mallocA.ThreadingModel);
        Assert.Equal(6, mallocA.Lifetimes["Persistent"]);
        var kalloc = _r.Allocators.Single(a => a.Name == "kalloc");
        Assert.Equal("no locking observed", kalloc.ThreadingModel);
        Assert.Equal(22, kalloc.Calls);
        var bootKalloc = _r.Allocators.Single(a => a.Name == "boot_kalloc");
        Assert.Equal(6, bootKalloc.LockCalls);
        Assert.Equal(0, _r.Trace.UnreturnedCalls);
        Assert.True(_r.Live.PeakBytes >= _r.Live.FinalBytes);
    }

    [Fact]
    public void Reports_AreProducedInEveryFormat()
    {
        Assert.Contains("\"allocationPatterns\"", ReportWriters.Json(_r));
        Assert.Contains("\"kernel::ipc_kmsg_copyin\" -> \"kernel::kalloc\"", ReportWriters.Dot(_r));
        string folded = ReportWriters.Folded(_t);
        Assert.Contains("kernel;_start;kmain;kernel_workload;ipc_kmsg_copyin;kalloc 656", folded);
        Assert.Contains("\"ph\": \"X\"", ReportWriters.Chrome(_t, _r));
        var sw = new StringWriter();
        ReportWriters.Jsonl(_t, sw);
        Assert.Equal(_t.Calls.Count, sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("anomalies: 3", ReportWriters.Text(_r));
    }
}
