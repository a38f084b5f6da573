namespace Minix318Emu.Emulator.Processor;

/// <summary>The kinds of data watchpoint (GDB's Z2, Z3, Z4).</summary>
public enum WatchKind
{
    /// <summary>Stop after the guest writes a watched byte (GDB's Z2, watch).</summary>
    Write,

    /// <summary>Stop after the guest reads a watched byte (GDB's Z3, rwatch).</summary>
    Read,

    /// <summary>Stop after the guest reads or writes a watched byte (GDB's Z4, awatch).</summary>
    Access,
}
