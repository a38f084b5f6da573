namespace Minix318Emu.Tracing.Analysis;

/// <summary>The live heap over the run: bytes allocated by outermost calls and not yet freed, all processes together.</summary>
/// <param name="PeakBytes">The most live bytes at any moment.</param>
/// <param name="PeakTime">The guest tick at which the peak was first reached.</param>
/// <param name="FinalBytes">Live bytes at the end of the run (the leaks' total).</param>
/// <param name="FinalBlocks">Live blocks at the end of the run.</param>
/// <param name="Series">Live bytes over guest time, sampled and cut to at most about 1000 points for the charts.</param>
public sealed record LiveHeap(ulong PeakBytes, ulong PeakTime, ulong FinalBytes, long FinalBlocks, List<LivePoint> Series);
