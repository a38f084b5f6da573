namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// One process name's share of the trace (all processes of that name together: a program and
/// the other copies of it, such as the second mfs a boot starts from disk): its endpoints, its
/// traced calls per function, the bytes its outermost allocating calls asked for, and the
/// requests it received.
/// </summary>
public sealed class ProcessStats
{
    public required string Name { get; init; }
    public List<int> Endpoints { get; init; } = new();
    public long Calls { get; set; }
    public ulong Bytes { get; set; }
    public long RequestsReceived { get; set; }
    public long MessagesSent { get; set; }
    public SortedDictionary<string, long> CallsByFunction { get; } = new(StringComparer.Ordinal);
}
