namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// The analysis of a trace (serialised as the JSON report; the schema is this set of types,
/// camelCase). Sizes are bytes, times are guest ticks (instructions) unless named otherwise.
/// </summary>
public sealed class AnalysisReport
{
    /// <summary>The JSON report's schema version; raised when a field changes meaning or is removed.</summary>
    public int SchemaVersion { get; init; } = 2;

    /// <summary>What was traced: profile, clock, call counts, images and processes.</summary>
    public required TraceSummary Trace { get; init; }

    /// <summary>The lifetime classes and the threshold that separates Immediate from the rest.</summary>
    public required LifetimeThresholds Thresholds { get; init; }

    /// <summary>Per traced function and image, ordered by image then name.</summary>
    public required List<AllocatorStats> Allocators { get; init; }

    /// <summary>The allocation topology: call, nested, serves and ipc edges, by process name.</summary>
    public required List<TopologyEdge> Edges { get; init; }

    /// <summary>Live bytes over guest time (outermost allocations minus frees), with peak and final values.</summary>
    public required LiveHeap Live { get; init; }

    /// <summary>Blocks never freed by the end of the run, in allocation order.</summary>
    public required List<HeapBlock> Leaks { get; init; }

    /// <summary>Frees that do not match an allocation: double, unknown and cross-family frees, in time order.</summary>
    public required List<Anomaly> Anomalies { get; init; }

    /// <summary>One per allocating function (Alloc, ZoneAlloc, MapAlloc, Realloc roles): sizes, call sites, threading, features.</summary>
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
