namespace Minix318Emu.Tracing.Analysis;

public sealed record SizeCount(ulong Size, long Count);
