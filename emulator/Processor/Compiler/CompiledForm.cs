namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// The code the block compiler emits for one instruction, chosen by <see cref="FormSelection"/>
/// from the decoded operands (the compiler's own choice: the interpreter's <see cref="OpForm"/>
/// is not changed). Each compiled form calls one method of Cpu.Compiled*.cs with the operands as
/// constants; R is a general register, M the memory operand, I an immediate; "Sized" forms take
/// the operand size (1, 2 or 4) as a constant too. <see cref="Interpreted"/> calls the
/// interpreter's dispatch.
/// </summary>
internal enum CompiledForm : byte
{
    Interpreted,

    // ---- the interpreter's specialised 32-bit forms, one for one ----
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

    // ---- compiled only: selected from the mnemonic and the operand kinds ----
    Nop,          // NOP, PAUSE, the hint NOPs and PREFETCH: no code at all
    MovSizedRR,
    MovSizedRI,
    MovSizedRM,
    MovSizedMR,
    MovSizedMI,
    ExtendRR,     // MOVSX/MOVZX of any sizes
    ExtendRM,
    XchgRR,
    XchgMR,
    Cwde,
    Cdq,
    PushM,
    AluSizedRR,
    AluSizedRI,
    AluSizedRM,
    AluMR,        // memory destination (CMP/TEST only read it)
    AluMI,
    UnaryR,       // INC/DEC/NEG/NOT
    UnaryM,
    MulDivR,      // MUL, one-operand IMUL, DIV, IDIV
    MulDivM,
    ImulRRI,
    ImulRMI,
    ShiftRC,      // SHL/SHR/SAR by CL
    ShiftM,       // SHL/SHR/SAR of memory by an immediate or CL
    BtRR,
    BtRI,
    BtMR,
    BtMI,
    SetccR,
    SetccM,
    CmovRR,
    CmovRM,
    JmpR,         // near indirect JMP/CALL
    JmpM,
    CallR,
    CallM,
}
