namespace Minix318Emu.Tracing.Analysis;

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
