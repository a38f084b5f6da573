namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The group an instruction belongs to in <see cref="InstructionTable"/>: instructions of one
/// group share a handler (the sixteen Jcc, the nine ALU operations...) and a family of
/// specialised <see cref="OpForm"/>s. <see cref="Other"/> ones are dispatched by mnemonic.
/// </summary>
internal enum InstructionGroup : byte
{
    Other,
    Invalid,
    X87,
    Jcc,
    Setcc,
    Cmovcc,
    Alu,
    Shift,
    Mov,
    Inc,
    Dec,
    Push,
    Pop,
    Lea,
    Movzx,
    Imul,
    Jmp,
    Call,
    Ret,
}
