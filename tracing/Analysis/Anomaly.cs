namespace Minix318Emu.Tracing.Analysis;

/// <summary>double-free, unknown-free (never allocated) or cross-family-free.</summary>
public sealed record Anomaly(string Kind, string Function, string Process, uint Pointer, ulong Time, string Detail, List<string> Stack);
