namespace Minix318Emu.Emulator.Processor;

/// <summary>The kinds of data watchpoint (GDB's Z2, Z3, Z4).</summary>
public enum WatchKind
{
    Write,
    Read,
    Access,
}
