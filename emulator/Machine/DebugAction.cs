using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Emulator.Machine;

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
