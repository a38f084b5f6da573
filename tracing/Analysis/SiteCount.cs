namespace Minix318Emu.Tracing.Analysis;

/// <summary>Calls of a function from (or to) one other function, and the bytes they asked for.</summary>
/// <param name="Site">The other function's symbol name (the caller frame's, or the traced callee's).</param>
/// <param name="Calls">How many calls.</param>
/// <param name="Bytes">The bytes those calls allocated or freed (0 for other roles).</param>
public sealed record SiteCount(string Site, long Calls, ulong Bytes);
