namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// The request sizes of one allocating function, in bytes; all zero when it allocated nothing.
/// Mean and median count each distinct size at most 100 000 times (a bound on the work).
/// </summary>
/// <param name="Min">The smallest size asked for.</param>
/// <param name="Max">The largest size asked for.</param>
/// <param name="Mean">The mean size.</param>
/// <param name="Median">The middle size (the upper middle one for an even count).</param>
/// <param name="PowerOfTwoBuckets">Calls per power-of-two bucket, keyed "&lt;=N" (the function's <see cref="AllocatorStats.SizeHistogram"/>).</param>
public sealed record SizeDistribution(ulong Min, ulong Max, double Mean, ulong Median, SortedDictionary<string, long> PowerOfTwoBuckets);
