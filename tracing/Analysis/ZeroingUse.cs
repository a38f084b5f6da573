namespace Minix318Emu.Tracing.Analysis;

/// <summary>calloc: calls, bytes.</summary>
public sealed record ZeroingUse(long Calls, ulong Bytes);
