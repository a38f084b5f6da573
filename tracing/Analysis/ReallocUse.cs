namespace Minix318Emu.Tracing.Analysis;

/// <summary>realloc's behaviour on the blocks it was given.</summary>
public sealed record ReallocUse(long Calls, long Grew, long Shrank, long Same, long InPlace, long Moved, long FromNull, long ToZero, long UnknownBlock, ulong BytesGrown);
