namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// One process name's share of the trace (all processes of that name together: a program and
/// the other copies of it, such as the second mfs a boot starts from disk): its endpoints, its
/// traced calls per function, the bytes its outermost allocating calls asked for, and the
/// requests it received.
/// </summary>
public sealed class ProcessStats
{
    /// <summary>The process name (the program's).</summary>
    public required string Name { get; init; }

    /// <summary>The MINIX endpoints its processes had, ascending (empty for guests without endpoints).</summary>
    public List<int> Endpoints { get; init; } = new();

    /// <summary>Traced calls made in it, nested ones included.</summary>
    public long Calls { get; set; }

    /// <summary>Bytes its outermost allocating calls asked for (sbrk(-n) excluded).</summary>
    public ulong Bytes { get; set; }

    /// <summary>Request messages the kernel delivered to it (it acting as a server).</summary>
    public long RequestsReceived { get; set; }

    /// <summary>Messages it sent, requests and replies.</summary>
    public long MessagesSent { get; set; }

    /// <summary>Its traced calls per function name.</summary>
    public SortedDictionary<string, long> CallsByFunction { get; } = new(StringComparer.Ordinal);
}
