namespace Minix318Emu.Tracing.Analysis;

public sealed record SiteCount(string Site, long Calls, ulong Bytes);
