using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Emulator.Machine;

/// <summary>
/// A debugger attached to the machine. Its callbacks run on the machine thread; while
/// <see cref="OnStop"/> blocks, the guest is stopped and its state may be read and changed.
/// </summary>
public interface IDebugger
{
    /// <summary>Reports a stop and waits for the debugger's decision.</summary>
    DebugAction OnStop(DebugStop stop);

    /// <summary>The run ended (guest exit, limit, ...): the debugger tells its client.</summary>
    void OnExit(RunResult result);

    /// <summary>Whether the breakpoint at a linear address belongs to the debugger (the CPU's hook dispatch asks).</summary>
    bool IsBreakpoint(uint linear);
}
