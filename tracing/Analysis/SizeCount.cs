namespace Minix318Emu.Tracing.Analysis;

/// <summary>How often one request size occurred.</summary>
/// <param name="Size">The requested size in bytes.</param>
/// <param name="Count">The allocating calls that asked for exactly that size.</param>
public sealed record SizeCount(ulong Size, long Count);
