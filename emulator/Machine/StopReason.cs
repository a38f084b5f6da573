namespace Minix318Emu.Emulator.Machine;

/// <summary>Why a run ended. The values are the process exit codes the CLI uses (all even, so they never collide with a guest exit status (V&lt;&lt;1)|1).</summary>
public enum StopReason
{
    /// <summary>Still running.</summary>
    None = -1,
    /// <summary>The guest powered the machine off without an exit status.</summary>
    PowerOff = 0,
    /// <summary>The guest wrote to the exit device; the exit code is (value&lt;&lt;1)|1.</summary>
    GuestExit = 1,
    /// <summary>A bad image, configuration or argument.</summary>
    BadInput = 2,
    /// <summary>The guest triple-faulted (the CPU shut down).</summary>
    TripleFault = 4,
    /// <summary>The guest used a feature the emulator does not implement.</summary>
    Unimplemented = 6,
    /// <summary>--max-instructions or --timeout was reached.</summary>
    LimitReached = 8,
    /// <summary>The guest executed HLT with interrupts disabled and nothing can wake it.</summary>
    HaltedForever = 10,
    /// <summary>The run was interrupted by the user (Ctrl-C) or a debugger.</summary>
    Interrupted = 12,
    /// <summary>The guest asked for a reset (i8042 0xFE or port 0x92).</summary>
    Reset = 14,
    /// <summary>A console script's expected text did not appear within its guest-time bound.</summary>
    ExpectTimeout = 16,
    /// <summary>A console script's stop step ended the run: a success, so the process exit code is 0, not this value.</summary>
    ScriptStopped = 18,
    /// <summary>--save-state-at's text appeared on the console and the run ended there to save the state: a success (exit code 0).</summary>
    StateSaved = 20,

    /// <summary>--tier check found compiled code that does not do what the interpreter does (the message names the instruction).</summary>
    TierMismatch = 22,
}
