namespace Minix318Emu.Tracing.Analysis;

public sealed record LivePoint(ulong Time, ulong Bytes);
