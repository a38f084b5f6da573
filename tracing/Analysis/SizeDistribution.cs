namespace Minix318Emu.Tracing.Analysis;

public sealed record SizeDistribution(ulong Min, ulong Max, double Mean, ulong Median, SortedDictionary<string, long> PowerOfTwoBuckets);
