namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// The analysis of a trace (serialised as the JSON report; the schema is this set of types,
/// camelCase). Sizes are bytes, times are guest ticks (instructions) unless named otherwise.
/// </summary>
public sealed class AnalysisReport
{
    public int SchemaVersion { get; init; } = 2;
    public required TraceSummary Trace { get; init; }
    public required LifetimeThresholds Thresholds { get; init; }
    public required List<AllocatorStats> Allocators { get; init; }
    public required List<TopologyEdge> Edges { get; init; }
    public required LiveHeap Live { get; init; }
    public required List<HeapBlock> Leaks { get; init; }
    public required List<Anomaly> Anomalies { get; init; }
    public required List<AllocationPattern> AllocationPatterns { get; init; }

    /// <summary>Per process (by name): its allocator calls, bytes and the messages it served.</summary>
    public required List<ProcessStats> Processes { get; init; }

    /// <summary>The messages the kernel delivered (MINIX guests): totals and the busiest sender/receiver/type triples.</summary>
    public required MessageStats Messages { get; init; }

    /// <summary>How much allocation traffic is served by more than one allocator family inside one process.</summary>
    public required RedundancyStats Redundancy { get; init; }

    /// <summary>Allocator features seen in use: calloc's zeroing, memalign/valloc alignment, realloc growth.</summary>
    public required FeatureStats Features { get; init; }
}
