namespace Minix318Emu.Tracing.Analysis;

/// <summary>Outermost allocating calls of one family.</summary>
public sealed record FamilyUse(string Family, long Calls, ulong Bytes);
