using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Emulator.Machine;

/// <summary>A stop reported to the debugger.</summary>
public sealed record DebugStop(DebugStopKind Kind, WatchHit? Watch = null);
