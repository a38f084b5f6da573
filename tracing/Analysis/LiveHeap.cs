namespace Minix318Emu.Tracing.Analysis;

public sealed record LiveHeap(ulong PeakBytes, ulong PeakTime, ulong FinalBytes, long FinalBlocks, List<LivePoint> Series);
