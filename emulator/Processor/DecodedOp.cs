using System.Runtime.InteropServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// One instruction decoded once from Iced's <c>Instruction</c> into the compact form the
/// interpreter executes. Enum-typed fields are bytes; the comment names the enum.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedOp
{
    public ushort Mn;    // Iced.Intel.Mnemonic
    public ushort Code;  // Iced.Intel.Code
    public byte Len;     // instruction length in bytes
    public byte Size;    // operand size in bytes (1, 2, 4)
    public byte SrcSize; // size of the source operand where it differs (MOVZX/MOVSX/shift counts)
    public byte ASize;   // address size in bytes (2, 4)
    public byte K0, K1, K2; // Opnd
    public byte R0, R1, R2; // register numbers of register operands
    public byte Seg;     // segment of the memory operand (SegReg)
    public byte Base;    // base register, Reg.None when absent
    public byte Index;   // index register, Reg.None when absent
    public byte Scale;   // index shift 0-3
    public byte Rep;     // 0 none, 1 REP/REPE, 2 REPNE
    public byte Cc;      // condition code, ALU operation or other per-mnemonic selector
    public byte Lock;    // 1 when LOCK-prefixed
    public byte Form;    // OpForm
    public uint Disp;    // memory displacement
    public uint Imm;     // first immediate, branch displacement or far offset
    public uint Imm2;    // second immediate or far selector
}
