namespace Minix318Emu.Tracing.Analysis;

/// <summary>An aligned allocator: the alignments asked for (bytes -> calls) and how many results were misaligned.</summary>
public sealed record AlignmentUse(string Allocator, long Calls, SortedDictionary<ulong, long> Alignments, long Misaligned);
