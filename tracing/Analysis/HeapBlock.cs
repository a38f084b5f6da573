namespace Minix318Emu.Tracing.Analysis;

/// <summary>A block still allocated at the end of the run (a leak), with its allocation stack.</summary>
public sealed record HeapBlock(string Allocator, string Family, string Process, uint Pointer, ulong Size, ulong Time, List<string> Stack);
