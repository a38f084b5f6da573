namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// Allocator features seen in use. Zeroing: calloc calls (their memory comes back zeroed) and
/// bytes. Alignment: memalign/valloc/posix_memalign calls with the alignments asked for and
/// whether every returned block honoured them. Realloc: calls by what they did to a block the
/// trace saw allocated — grown, shrunk or kept the same size, in place or moved — plus
/// realloc(NULL, n) (an allocation) and realloc(p, 0).
/// </summary>
public sealed record FeatureStats(ZeroingUse Zeroing, List<AlignmentUse> Alignment, ReallocUse Realloc);
