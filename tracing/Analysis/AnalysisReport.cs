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

public sealed record TraceSummary(string Profile, ulong TicksPerSecond, long Calls, long UnreturnedCalls, List<string> Images, List<string> Processes, double GuestSeconds);

/// <summary>Lifetime classes: Immediate (freed within <see cref="ImmediateTicks"/>), Scoped (freed while the allocating caller's frame is still on the stack), Dynamic (freed later), Persistent (never freed).</summary>
public sealed record LifetimeThresholds(ulong ImmediateTicks, string Rule);

public sealed class AllocatorStats
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string Family { get; init; }
    public required string Role { get; init; }
    public long Calls { get; set; }
    public long OutermostCalls { get; set; }
    public ulong Bytes { get; set; }

    /// <summary>Calls with a negative signed size (sbrk(-n)) and the bytes they gave back; not in <see cref="Bytes"/> or the histogram.</summary>
    public long Releases { get; set; }
    public ulong BytesReleased { get; set; }

    public SortedDictionary<string, long> SizeHistogram { get; } = new(StringComparer.Ordinal);
    public List<SizeCount> TopSizes { get; set; } = new();
    public SortedDictionary<string, long> Lifetimes { get; } = new(StringComparer.Ordinal);
    public List<SiteCount> Callers { get; set; } = new();

    /// <summary>Its calls per process name (which programs use it: the HTML report filters by these).</summary>
    public SortedDictionary<string, long> CallsByProcess { get; } = new(StringComparer.Ordinal);

    /// <summary>The traced functions called inside its calls (nested allocators, backends, locks).</summary>
    public List<SiteCount> Callees { get; set; } = new();
    public long LockCalls { get; set; }
    public long UnlockCalls { get; set; }
    public string ThreadingModel { get; set; } = "";
}

public sealed record SizeCount(ulong Size, long Count);

public sealed record SiteCount(string Site, long Calls, ulong Bytes);

/// <summary>
/// An edge of the topology, by process name: caller -> allocator ("call"), allocator -> nested
/// allocator/backend/lock ("nested"), a server's request handler -> the allocator it called
/// while serving a request ("serves"), or a cross-process "ipc" edge: from a client process's
/// traced call chain in progress (<see cref="From"/>, such as "malloc => sbrk => brk"; empty
/// when it had none) to the server's request handler (<see cref="To"/>) in
/// <see cref="ToProcess"/>, by message type; Calls counts the requests and Bytes what the
/// server allocated while serving them (its outermost allocating calls).
/// </summary>
public sealed record TopologyEdge(string Process, string From, string To, string Kind, long Calls, ulong Bytes)
{
    /// <summary>The server process of an "ipc" edge.</summary>
    public string? ToProcess { get; init; }

    /// <summary>The message type of an "ipc" edge ("VM_BRK (0xc02)").</summary>
    public string? Message { get; init; }
}

public sealed record LiveHeap(ulong PeakBytes, ulong PeakTime, ulong FinalBytes, long FinalBlocks, List<LivePoint> Series);

public sealed record LivePoint(ulong Time, ulong Bytes);

/// <summary>A block still allocated at the end of the run (a leak), with its allocation stack.</summary>
public sealed record HeapBlock(string Allocator, string Family, string Process, uint Pointer, ulong Size, ulong Time, List<string> Stack);

/// <summary>double-free, unknown-free (never allocated) or cross-family-free.</summary>
public sealed record Anomaly(string Kind, string Function, string Process, uint Pointer, ulong Time, string Detail, List<string> Stack);

/// <summary>The user's allocation-patterns shape, filled with measured values.</summary>
public sealed record AllocationPattern(string Allocator, string Family, List<string> Sites, SizeDistribution SizeDistribution, string ThreadingModel, List<string> Features, string Image = "");

public sealed record SizeDistribution(ulong Min, ulong Max, double Mean, ulong Median, SortedDictionary<string, long> PowerOfTwoBuckets);
