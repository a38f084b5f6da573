namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// Allocator features seen in use. Zeroing: calloc calls (their memory comes back zeroed) and
/// bytes. Alignment: memalign/valloc/posix_memalign calls with the alignments asked for and
/// whether every returned block honoured them. Realloc: calls by what they did to a block the
/// trace saw allocated — grown, shrunk or kept the same size, in place or moved — plus
/// realloc(NULL, n) (an allocation) and realloc(p, 0).
/// </summary>
public sealed record FeatureStats(ZeroingUse Zeroing, List<AlignmentUse> Alignment, ReallocUse Realloc);

/// <summary>calloc: calls, bytes.</summary>
public sealed record ZeroingUse(long Calls, ulong Bytes);

/// <summary>An aligned allocator: the alignments asked for (bytes -> calls) and how many results were misaligned.</summary>
public sealed record AlignmentUse(string Allocator, long Calls, SortedDictionary<ulong, long> Alignments, long Misaligned);

/// <summary>realloc's behaviour on the blocks it was given.</summary>
public sealed record ReallocUse(long Calls, long Grew, long Shrank, long Same, long InPlace, long Moved, long FromNull, long ToZero, long UnknownBlock, ulong BytesGrown);
