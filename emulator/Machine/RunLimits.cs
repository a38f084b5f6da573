namespace Minix318Emu.Emulator.Machine;

/// <summary>Limits on a run: instructions retired and host wall-clock time.</summary>
public sealed record RunLimits(ulong MaxInstructions = ulong.MaxValue, TimeSpan? Timeout = null);
