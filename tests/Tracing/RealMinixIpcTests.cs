using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Minix;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tests.Tracing;

/// <summary>
/// Cross-process edges on the real boot, from the messages the kernel delivered: libc's mmap,
/// munmap and brk each send VM one request, VM's allocations serve the requests it received,
/// and the edges reach every topology output.
/// </summary>
[Collection(RealMinixTraceCollection.Name)]
public sealed class RealMinixIpcTests
{
    private const uint VmBrk = 0xC02, VmMmap = 0xC0A, VmMunmap = 0xC11, VmPagefault = 0xCFF;

    private readonly RealMinixBootFixture _fixture;

    public RealMinixIpcTests(RealMinixBootFixture fixture) => _fixture = fixture;

    private static string F(TraceFile t, TraceCall c) => t.Functions[c.Function].Name;

    private static string P(TraceFile t, int process) => t.Processes[process].Name;

    [SkippableFact]
    public void EveryMmapMunmapAndBreakMove_IsOneRequestToVm()
    {
        RealMinixBoot b = _fixture.Boot();
        TraceFile t = b.Trace;
        var bySenderCall = t.Messages.Where(m => m.SenderCall >= 0).ToLookup(m => m.SenderCall);
        IEnumerable<TraceIpc> ToVm(TraceCall c, uint type) => bySenderCall[c.Id].Where(m => m.MessageType == type);
        // minix_mmap and munmap are one _syscall to VM each (VM itself maps without messages).
        var mmaps = t.Calls.Where(c => F(t, c) == "mmap" && P(t, c.Process) != "vm").ToList();
        Assert.Equal(1_140, mmaps.Count);
        Assert.All(mmaps, c => Assert.Equal((IpcKind.Request, "vm"), ToVm(c, VmMmap).Select(m => (m.Kind, P(t, m.Receiver))).Single()));
        var munmaps = t.Calls.Where(c => F(t, c) == "munmap").ToList();
        Assert.All(munmaps, c => Assert.Equal("vm", P(t, ToVm(c, VmMunmap).Single().Receiver)));
        // brk(addr) sends VM_BRK only when addr is not the current break: inside sbrk(incr) that
        // is incr != 0; called directly (free trimming the heap), when it moves the break.
        var calls = t.Calls.ToDictionary(c => c.Id);
        var brks = t.Calls.Where(c => F(t, c) == "brk" && P(t, c.Process) != "vm").OrderBy(c => c.Entry).ToList();
        var breakOf = new Dictionary<int, uint>();
        int sent = 0;
        foreach (TraceCall brk in brks)
        {
            bool moves = calls.TryGetValue(brk.Parent, out TraceCall? sbrk) && F(t, sbrk) == "sbrk"
                ? sbrk.Size != 0
                : !breakOf.TryGetValue(brk.Process, out uint current) || current != brk.Arg(0);
            int messages = ToVm(brk, VmBrk).Count();
            Assert.Equal(moves ? 1 : 0, messages);
            sent += messages;
            if (brk.Result == 0)
            {
                breakOf[brk.Process] = brk.Arg(0);
            }
        }
        Assert.Equal(94, brks.Count);
        Assert.Equal(82, sent);
        // A page fault is reported to VM on behalf of the faulting process: a request from it.
        Assert.All(t.Messages.Where(m => m.MessageType == VmPagefault), m => Assert.Equal((IpcKind.Request, "vm"), (m.Kind, P(t, m.Receiver))));
    }

    [SkippableFact]
    public void VmsCalls_ServeTheRequestsItReceived_AfterItsOwnStartUp()
    {
        RealMinixBoot b = _fixture.Boot();
        TraceFile t = b.Trace;
        var vmCalls = t.Calls.Where(c => P(t, c.Process) == "vm").ToList();
        ulong firstRequest = t.Messages.Where(m => P(t, m.Receiver) == "vm" && m.Kind == IpcKind.Request).Min(m => m.Time);
        var startUp = vmCalls.Where(c => c.Request < 0).ToList();
        Assert.Equal(6_186, startUp.Count);                       // VM's initialisation, before anything asked it for work
        Assert.All(startUp, c => Assert.True(c.Entry < firstRequest));
        var messages = t.Messages.ToDictionary(m => m.Id);
        Assert.All(vmCalls.Where(c => c.Request >= 0), c =>
        {
            TraceIpc m = messages[c.Request];
            Assert.Equal((IpcKind.Request, "vm"), (m.Kind, P(t, m.Receiver)));
            Assert.True(m.Time < c.Entry);
        });
        // A forked child's first message is PM's answer to the fork its parent asked for: a reply.
        Assert.DoesNotContain(t.Messages, m => m.Kind == IpcKind.Request && P(t, m.Receiver).EndsWith("*F", StringComparison.Ordinal) && m.Sender >= 0 && P(t, m.Sender) == "pm");
        Assert.Equal(14_370, t.Messages.Count(m => m.Kind == IpcKind.Request));
        Assert.Equal(8_309, t.Messages.Count(m => m.Kind == IpcKind.Reply));
    }

    [SkippableFact]
    public void VfsHeapGrowth_IsAnEdgeToVmsBrkHandler_InEveryOutput()
    {
        RealMinixBoot b = _fixture.Boot();
        TraceFile t = b.Trace;
        AnalysisReport r = b.Report;
        TopologyEdge e = r.Edges.Single(x => x is { Kind: "ipc", Process: "vfs", From: "malloc => sbrk => brk", ToProcess: "vm", To: "do_brk" });
        Assert.Equal("VM_BRK (0xc02)", e.Message);
        // Recomputed from the raw records: the requests vfs's malloc => sbrk => brk sent VM, and
        // the bytes VM's outermost allocating calls took while serving them.
        var calls = t.Calls.ToDictionary(c => c.Id);
        string Chain(long id)
        {
            var names = new List<string>();
            for (long i = id; i >= 0; i = calls[i].Parent)
            {
                names.Insert(0, F(t, calls[i]));
            }
            return string.Join(" => ", names);
        }
        var requests = t.Messages.Where(m => m.Sender >= 0 && P(t, m.Sender) == "vfs" && m.SenderCall >= 0 && m.MessageType == VmBrk
            && Chain(m.SenderCall) == "malloc => sbrk => brk").Select(m => m.Id).ToHashSet();
        var served = t.Calls.Where(c => requests.Contains(c.Request) && c.Parent < 0).ToList();
        Assert.Equal(requests.Count(id => served.Any(c => c.Request == id)), e.Calls);
        Assert.Equal(served.Where(c => F(t, c) is "slaballoc" or "alloc_mem" or "calloc" or "realloc").Aggregate(0ul, (a, c) => a + c.Size), e.Bytes);
        Assert.Equal(11, e.Calls);
        Assert.True(e.Bytes > 0);
        // The same edge in the text summary, the DOT graph, the JSON report and report.md.
        Assert.Contains("vfs: malloc => sbrk => brk --IPC VM_BRK (0xc02)--> vm: do_brk  11 requests", ReportWriters.Text(r));
        Assert.Contains("\"vfs::brk\" -> \"vm::do_brk\" [label=\"IPC VM_BRK (0xc02): 11 requests", ReportWriters.Dot(r));
        Assert.Contains("\"from\": \"malloc => sbrk => brk\"", ReportWriters.Json(r));
        Assert.Contains("| vfs | `malloc => sbrk => brk` | VM_BRK (0xc02) | vm | `do_brk` | 11 |", MarkdownReport.Write(r));
        // mfs's block cache: each mapped block is one VM_MMAP served by do_mmap.
        Assert.Equal(1_114, r.Edges.Single(x => x is { Kind: "ipc", Process: "mfs", From: "mmap", To: "do_mmap" }).Calls);
        Assert.Equal("VM_MMAP (0xc0a)", MinixMessageNames.Describe(VmMmap));
    }
}
