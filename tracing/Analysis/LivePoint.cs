namespace Minix318Emu.Tracing.Analysis;

/// <summary>One sample of the live-heap series.</summary>
/// <param name="Time">The guest tick of the allocation or free after which it was taken.</param>
/// <param name="Bytes">Live bytes at that moment.</param>
public sealed record LivePoint(ulong Time, ulong Bytes);
