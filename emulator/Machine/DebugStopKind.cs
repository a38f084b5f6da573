using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Emulator.Machine;

/// <summary>Why execution stopped for the debugger.</summary>
public enum DebugStopKind
{
    /// <summary>Before the first instruction (--gdb-wait).</summary>
    Initial,
    /// <summary>An execution breakpoint (hook) at the current EIP.</summary>
    Breakpoint,
    /// <summary>A data watchpoint; see <see cref="DebugStop.Watch"/>.</summary>
    Watchpoint,
    /// <summary>A single step completed.</summary>
    Step,
    /// <summary>The debugger interrupted the running guest (Ctrl-C).</summary>
    Interrupted,
}
