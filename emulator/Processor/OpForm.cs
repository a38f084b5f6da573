namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// How the interpreter dispatches a decoded instruction, chosen once at decode time: a
/// specialised form of a hot 32-bit shape (its operand kinds fixed, so no per-operand switch
/// runs), a handler shared by a group of instructions (<see cref="InstructionGroup"/>), or
/// <see cref="Generic"/>, the per-mnemonic switch. The specialised forms are a plain case of
/// the generic path and can be turned off (<see cref="Cpu.FastPathsEnabled"/>); the group
/// forms are always used.
/// </summary>
internal enum OpForm : byte
{
    Generic,

    // ---- specialised 32-bit forms ----
    MovRR,
    MovRI,
    MovRM,
    MovMR,
    MovMI,
    AluRR,
    AluRI,
    AluRM,
    IncR,
    DecR,
    PushR,
    PushI,
    PopR,
    Jcc,
    JmpRel,
    CallRel,
    Ret,
    Lea,
    MovzxRM8,
    MovzxRM16,
    MovzxRR,
    ShiftRI,
    ImulRR,
    ImulRM,

    // ---- group handlers, any size and operand kinds ----
    JccAny,
    SetccAny,
    CmovccAny,
    AluAny,
    ShiftAny,
    X87,
    Invalid,
}
