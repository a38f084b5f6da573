namespace Minix318Emu.Tracing.Analysis;

/// <summary>The user's allocation-patterns shape, filled with measured values.</summary>
public sealed record AllocationPattern(string Allocator, string Family, List<string> Sites, SizeDistribution SizeDistribution, string ThreadingModel, List<string> Features, string Image = "");
