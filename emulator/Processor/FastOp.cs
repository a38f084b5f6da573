namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Specialised forms of the hottest 32-bit instructions, dispatched before the per-mnemonic
/// switch. Each one is a plain case of the generic path with its operand kinds fixed at decode
/// time; everything else uses <see cref="Generic"/>.
/// </summary>
internal enum FastOp : byte
{
    Generic,
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
}
