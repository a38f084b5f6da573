using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tests.Tracing;

/// <summary>
/// The minix3 profile's argument expressions against MINIX 3.4's declarations, checked on the
/// real boot where the guest's own values can prove them: sbrk's intptr_t increment (brk is
/// called with the old break plus the signed increment), alloc_mem/free_mem in clicks of one
/// 4 KiB page, calloc(nmemb, size), slabfree(mem, bytes), mmap's and munmap's length.
/// </summary>
[Collection(RealMinixTraceCollection.Name)]
public sealed class RealMinixArgumentTests
{
    private readonly RealMinixBootFixture _fixture;

    public RealMinixArgumentTests(RealMinixBootFixture fixture) => _fixture = fixture;

    private static string F(TraceFile t, TraceCall c) => t.Functions[c.Function].Name;

    private static string P(TraceFile t, TraceCall c) => t.Processes[c.Process].Name;

    [SkippableFact]
    public void SbrkIncrement_IsSigned_AsBrkItselfShows()
    {
        RealMinixBoot b = _fixture.Boot();
        TraceFile t = b.Trace;
        var sbrks = t.Calls.Where(c => F(t, c) == "sbrk").ToList();
        Assert.Equal(125, sbrks.Count);
        foreach (TraceCall s in sbrks)
        {
            // libc's sbrk(incr) calls brk(old + incr) and returns old: the recorded signed
            // increment must be exactly the distance between the two.
            TraceCall brk = t.Calls.Single(c => c.Parent == s.Id && F(t, c) == "brk");
            long increment = s.Negative ? -(long)s.Size : (long)s.Size;
            Assert.Equal(brk.Arg(0), (uint)(s.Result + increment));
        }
        // rs gives memory back after each exec of a service (srv_execve): ten negative increments.
        var negative = sbrks.Where(s => s.Negative).ToList();
        Assert.Equal(10, negative.Count);
        Assert.All(negative, s => Assert.Equal(("rs", "srv_execve"), (P(t, s), s.Caller.Function)));
        AllocatorStats rs = b.Report.Allocators.Single(a => a.Name == "sbrk" && a.Image == "mod02_rs");
        Assert.Equal(889_364ul, rs.Bytes);                 // grown; with the increment read unsigned it was 42 950 549 932
        Assert.Equal(10, rs.Releases);
        Assert.Equal(negative.Aggregate(0ul, (a, s) => a + s.Size), rs.BytesReleased);
        Assert.All(b.Report.Allocators, a => Assert.True(a.Bytes < 1ul << 32, $"{a.Name} in {a.Image}: {a.Bytes} bytes"));
    }

    [SkippableFact]
    public void AllocMem_CountsClicksOfOnePage()
    {
        RealMinixBoot b = _fixture.Boot();
        TraceFile t = b.Trace;
        // VM maps one page per anonymous page fault: alloc_mem(1, flags), 4096 bytes (CLICK_SIZE).
        var faults = t.Calls.Where(c => F(t, c) == "alloc_mem" && c.Caller.Function == "anon_pagefault").ToList();
        Assert.Equal(6_892, faults.Count);
        Assert.All(faults, c => Assert.Equal((1u, 4096ul), (c.Arg(0), c.Size)));
        Assert.All(t.Calls.Where(c => F(t, c) is "alloc_mem"), c => Assert.Equal(c.Arg(0) * 4096ul, c.Size));
        Assert.All(t.Calls.Where(c => F(t, c) is "free_mem"), c => Assert.Equal(c.Arg(1) * 4096ul, c.Size));
    }

    [SkippableFact]
    public void Calloc_MultipliesCountBySize_AndSlabfreeGivesBackWhatSlaballocGave()
    {
        RealMinixBoot b = _fixture.Boot();
        TraceFile t = b.Trace;
        // region_new: calloc(slots, sizeof(struct phys_region *)) next to SLABALLOC of the region (64 bytes).
        var regions = t.Calls.Where(c => F(t, c) == "calloc" && c.Caller.Function == "region_new").ToList();
        Assert.Equal(3_670, regions.Count);
        Assert.All(regions, c => Assert.Equal((4u, 4ul * c.Arg(0)), (c.Arg(1), c.Size)));
        Assert.Equal(3_670, t.Calls.Count(c => F(t, c) == "slaballoc" && c.Caller.Function == "region_new" && c.Size == 64));
        // slabfree(mem, bytes): every freed pointer is a slaballoc result of the same size.
        var live = new Dictionary<uint, ulong>();
        int matched = 0;
        foreach (TraceCall c in t.Calls.Where(c => F(t, c) is "slaballoc" or "slabfree")
            .OrderBy(c => F(t, c) == "slabfree" ? c.Entry : c.Exit).ThenBy(c => c.Id))
        {
            if (F(t, c) == "slaballoc")
            {
                live[c.Result] = c.Size;
                continue;
            }
            Assert.True(live.Remove(c.Pointer, out ulong size), $"slabfree of 0x{c.Pointer:x}, never returned by slaballoc");
            Assert.Equal(size, c.Size);
            matched++;
        }
        Assert.Equal(17_327, matched);
    }

    [SkippableFact]
    public void MmapAndMunmap_LengthsAreMfsBlocks()
    {
        RealMinixBoot b = _fixture.Boot();
        TraceFile t = b.Trace;
        // MFS's block cache maps each 4 KiB block with mmap(NULL, 4096, ...) and unmaps it with munmap(ptr, 4096).
        var mmaps = t.Calls.Where(c => F(t, c) == "mmap" && P(t, c) == "mfs").ToList();
        Assert.Equal(1_116, mmaps.Count);
        Assert.All(mmaps, c => Assert.Equal(4096ul, c.Size));
        var munmaps = t.Calls.Where(c => F(t, c) == "munmap").ToList();
        Assert.Equal(278, munmaps.Count);
        Assert.All(munmaps, c => Assert.Equal(("mfs", 4096ul), (P(t, c), c.Size)));
        // 273 unmap blocks a traced mmap of the same process returned; the other 5 were mapped
        // some other way (no traced mmap returned them), and the analysis reports exactly those
        // as frees of unknown blocks.
        var mapped = mmaps.Select(c => (c.Process, c.Result)).ToHashSet();
        var unknown = munmaps.Where(c => !mapped.Contains((c.Process, c.Pointer))).Select(c => c.Pointer).Order().ToList();
        Assert.Equal(5, unknown.Count);
        Assert.Equal(unknown, b.Report.Anomalies.Where(a => a.Function == "munmap").Select(a => a.Pointer).Order().ToList());
        Assert.All(b.Report.Anomalies.Where(a => a.Function == "munmap"), a => Assert.Equal("unknown-free", a.Kind));
        Assert.DoesNotContain(b.Report.Anomalies, a => a.Function == "slabfree");
    }
}
