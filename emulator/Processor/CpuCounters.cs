namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Event counts of the CPU's slow paths, for profiling a workload (`bench --minix` prints them).
/// Each is a plain field bumped where the event is already handled off the per-instruction path,
/// so keeping them costs nothing measurable; none of them changes what the guest sees.
/// </summary>
public sealed class CpuCounters
{
    /// <summary>Blocks entered by the dispatcher (a chained block counts too).</summary>
    public long BlocksRun;

    /// <summary>Blocks entered through the previous block's one-entry chain, without a lookup.</summary>
    public long ChainHits;

    /// <summary>Of the chain hits, links made before a translation change (CR3 load) and found still mapped by the TLB.</summary>
    public long Relinks;

    /// <summary>Block lookups by physical address (a chain miss); <see cref="BlocksRun"/> minus these is chained.</summary>
    public long Lookups;

    /// <summary>Lookups answered by the direct-mapped array in front of the dictionary.</summary>
    public long FastLookupHits;

    /// <summary>Page-table walks (software TLB misses, and fills after a flush).</summary>
    public long PageWalks;

    /// <summary>Page faults raised.</summary>
    public long PageFaults;

    /// <summary>MOV to CR3: address-space switches.</summary>
    public long Cr3Loads;

    /// <summary>Whole-TLB flushes, global pages included (paging mode, CR4.PGE/PSE, memory map changes).</summary>
    public long FullTlbFlushes;

    /// <summary>INVLPG and other one-page TLB drops.</summary>
    public long PageFlushes;

    /// <summary>Calls to refresh the code size and privilege (CS loads, CR0 writes, privilege changes).</summary>
    public long ModeChanges;

    /// <summary>Port reads and writes (IN, OUT, and each element of INS/OUTS).</summary>
    public long PortAccesses;

    /// <summary>HLT instructions executed.</summary>
    public long Halts;
}
