using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Emulator.Machine;

/// <summary>How the debugger resumes the machine.</summary>
public enum DebugAction
{
    /// <summary>Resume until a breakpoint, watchpoint, the guest's end or an interrupt from the debugger (GDB's c).</summary>
    Continue,

    /// <summary>Resume, then stop again at once and report it as interrupted (an interrupt arrived while the guest stood still).</summary>
    ContinueThenInterrupt,

    /// <summary>Execute one instruction, then stop (GDB's s).</summary>
    Step,

    /// <summary>The debugger goes away: breakpoints are gone, the guest runs on.</summary>
    Detach,
    /// <summary>End the run.</summary>
    Kill,
}
