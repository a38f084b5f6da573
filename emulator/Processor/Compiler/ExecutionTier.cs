namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>How blocks are executed (<c>--tier</c>).</summary>
public enum ExecutionTier
{
    /// <summary>Every block in the interpreter: the reference.</summary>
    Interp,

    /// <summary>Hot blocks compiled to host code on a background thread; the rest interpreted.</summary>
    Jit,

    /// <summary>As <see cref="Jit"/>, compiling on the guest's thread, and every compiled block run is checked against the interpreter on a copy of the state.</summary>
    Check,
}
