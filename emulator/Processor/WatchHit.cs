namespace Minix318Emu.Emulator.Processor;

/// <summary>A data watchpoint hit: the watched address range's start and the access that hit it.</summary>
public readonly record struct WatchHit(uint Address, WatchKind Kind, bool IsWrite);
