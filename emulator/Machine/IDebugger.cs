using Minix318Emu.Emulator.Cpu;

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

/// <summary>A stop reported to the debugger.</summary>
public sealed record DebugStop(DebugStopKind Kind, WatchHit? Watch = null);

/// <summary>How the debugger resumes the machine.</summary>
public enum DebugAction
{
    Continue,
    /// <summary>Resume, then stop again at once and report it as interrupted (an interrupt arrived while the guest stood still).</summary>
    ContinueThenInterrupt,
    Step,
    /// <summary>The debugger goes away: breakpoints are gone, the guest runs on.</summary>
    Detach,
    /// <summary>End the run.</summary>
    Kill,
}

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
