namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// One traced function's statistics in one image (the JSON report's allocators[] entries): its
/// calls, the bytes they asked for, their sizes, lifetimes, callers and callees, and the locking
/// seen inside them. Sizes are bytes; lifetimes are classed as <see cref="LifetimeThresholds"/> says.
/// </summary>
public sealed class AllocatorStats
{
    /// <summary>The function's symbol name (malloc, kmalloc, sbrk, ...).</summary>
    public required string Name { get; init; }

    /// <summary>The image it was traced in (kernel, a module or a program).</summary>
    public required string Image { get; init; }

    /// <summary>The allocator family the profile puts it in (libc, slab, ...): functions that share a heap.</summary>
    public required string Family { get; init; }

    /// <summary>The profile's role for it (an <see cref="Profiles.AllocatorRole"/> name: Alloc, Free, Realloc, Lock, ...).</summary>
    public required string Role { get; init; }

    /// <summary>Every traced call of it, nested ones included.</summary>
    public long Calls { get; set; }

    /// <summary>The calls made with no traced call in progress in the process: the ones a program asked for itself.</summary>
    public long OutermostCalls { get; set; }

    /// <summary>Bytes asked for by its allocating calls (all of them, nested included; sbrk(-n) excluded).</summary>
    public ulong Bytes { get; set; }

    /// <summary>Calls with a negative signed size (sbrk(-n)) and the bytes they gave back; not in <see cref="Bytes"/> or the histogram.</summary>
    public long Releases { get; set; }

    /// <summary>The bytes those <see cref="Releases"/> gave back.</summary>
    public ulong BytesReleased { get; set; }

    /// <summary>Allocating calls per power-of-two size bucket, keyed "&lt;=N" (<see cref="TraceAnalyzer.Bucket"/>).</summary>
    public SortedDictionary<string, long> SizeHistogram { get; } = new(StringComparer.Ordinal);

    /// <summary>The five most frequent requested sizes, most frequent first (ties by smaller size).</summary>
    public List<SizeCount> TopSizes { get; set; } = new();

    /// <summary>The blocks it allocated per lifetime class (Immediate, Scoped, Dynamic, Persistent); outermost allocations only.</summary>
    public SortedDictionary<string, long> Lifetimes { get; } = new(StringComparer.Ordinal);

    /// <summary>The functions that called it (by the caller frame's symbol), with calls and bytes, most calls first.</summary>
    public List<SiteCount> Callers { get; set; } = new();

    /// <summary>Its calls per process name (which programs use it: the HTML report filters by these).</summary>
    public SortedDictionary<string, long> CallsByProcess { get; } = new(StringComparer.Ordinal);

    /// <summary>The traced functions called inside its calls (nested allocators, backends, locks).</summary>
    public List<SiteCount> Callees { get; set; } = new();

    /// <summary>Lock-role calls made anywhere inside its calls (counted at every traced ancestor).</summary>
    public long LockCalls { get; set; }

    /// <summary>Unlock-role calls made anywhere inside its calls.</summary>
    public long UnlockCalls { get; set; }

    /// <summary>A sentence for the reports: locked (with the count), no locking observed, or not measured when the profile hooks no lock functions.</summary>
    public string ThreadingModel { get; set; } = "";
}
