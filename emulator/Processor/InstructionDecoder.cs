using Iced.Intel;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Turns Iced's decoded <see cref="Instruction"/> into the interpreter's <see cref="DecodedOp"/>:
/// operands, sizes, the selector and dispatch form from <see cref="InstructionTable"/>. Runs once
/// per instruction when a block is decoded, never on the hot path. (A decoder: "translate" is
/// kept for the page walk and a future compiler.)
/// </summary>
internal static class InstructionDecoder
{
    /// <summary>Decodes <paramref name="ins"/>; with <paramref name="specialise"/> hot 32-bit shapes get their specialised <see cref="OpForm"/>.</summary>
    public static DecodedOp Decode(in Instruction ins, bool specialise = true)
    {
        var op = new DecodedOp
        {
            Mn = (ushort)ins.Mnemonic,
            Code = (ushort)ins.Code,
            Len = (byte)ins.Length,
            Base = Reg.None,
            Index = Reg.None,
            Rep = (byte)(ins.HasRepePrefix ? 1 : ins.HasRepnePrefix ? 2 : 0),
            Lock = (byte)(ins.HasLockPrefix ? 1 : 0),
        };
        if (ins.IsInvalid)
        {
            return op;
        }

        OpCodeInfo info = ins.Code.ToOpCode();
        int opSizeBits = info.OperandSize;
        int addrSizeBits = info.AddressSize;
        int codeBits = ins.CodeSize == CodeSize.Code16 ? 16 : 32;

        int immIndex = 0;
        int size = 0;
        for (int i = 0; i < ins.OpCount && i < 3; i++)
        {
            OpKind kind = ins.GetOpKind(i);
            Opnd k;
            byte r = 0;
            switch (kind)
            {
                case OpKind.Register:
                {
                    Register reg = ins.GetOpRegister(i);
                    if (reg.IsGPR())
                    {
                        k = Opnd.Reg;
                        r = (byte)reg.GetNumber();
                        if (i == 0 || size == 0)
                        {
                            size = reg.GetSize();
                        }
                        if (i == 1)
                        {
                            op.SrcSize = (byte)reg.GetSize();
                        }
                    }
                    else if (reg.IsSegmentRegister())
                    {
                        k = Opnd.SReg;
                        r = (byte)(reg - Register.ES);
                    }
                    else if (reg.IsCR())
                    {
                        k = Opnd.Cr;
                        r = (byte)(reg - Register.CR0);
                    }
                    else if (reg.IsDR())
                    {
                        k = Opnd.Dr;
                        r = (byte)(reg - Register.DR0);
                    }
                    else if (reg.IsST())
                    {
                        k = Opnd.St;
                        r = (byte)(reg - Register.ST0);
                    }
                    else
                    {
                        k = Opnd.None; // MMX/SSE registers: the executor raises #UD for those mnemonics
                    }
                    break;
                }
                case OpKind.Memory:
                {
                    k = Opnd.Mem;
                    op.Seg = (byte)(ins.MemorySegment - Register.ES);
                    Register b = ins.MemoryBase, x = ins.MemoryIndex;
                    op.Base = b == Register.None ? (byte)Reg.None : (byte)b.GetNumber();
                    op.Index = x == Register.None ? (byte)Reg.None : (byte)x.GetNumber();
                    op.Scale = (byte)(ins.MemoryIndexScale switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 });
                    op.Disp = ins.MemoryDisplacement32;
                    bool a16 = b.IsGPR16() || x.IsGPR16() || (b == Register.None && x == Register.None && ins.MemoryDisplSize == 2);
                    op.ASize = (byte)(a16 ? 2 : 4);
                    int ms = ins.MemorySize.GetSize();
                    // A far pointer's size is not the operand size: an m16:16 (4 bytes) belongs to a
                    // 16-bit CALL/JMP FAR, whose offset is a word (the operand size comes from the encoding below).
                    bool farPointer = ins.MemorySize is MemorySize.SegPtr16 or MemorySize.SegPtr32;
                    if ((i == 0 || size == 0) && !farPointer && ms is 1 or 2 or 4)
                    {
                        size = ms;
                    }
                    if (i == 1)
                    {
                        op.SrcSize = (byte)ms;
                    }
                    break;
                }
                case OpKind.Immediate8:
                case OpKind.Immediate16:
                case OpKind.Immediate32:
                case OpKind.Immediate8to16:
                case OpKind.Immediate8to32:
                case OpKind.Immediate8_2nd:
                {
                    k = Opnd.Imm;
                    uint v = (uint)ins.GetImmediate(i);
                    if (kind == OpKind.Immediate8to16)
                    {
                        v &= 0xFFFF;
                    }
                    if (immIndex++ == 0)
                    {
                        op.Imm = v;
                    }
                    else
                    {
                        op.Imm2 = v;
                    }
                    break;
                }
                case OpKind.NearBranch16:
                case OpKind.NearBranch32:
                {
                    k = Opnd.Rel;
                    uint target = kind == OpKind.NearBranch16 ? ins.NearBranch16 : ins.NearBranch32;
                    op.Imm = target - (uint)ins.NextIP;
                    break;
                }
                case OpKind.FarBranch16:
                case OpKind.FarBranch32:
                    k = Opnd.Far;
                    op.Imm = kind == OpKind.FarBranch16 ? ins.FarBranch16 : ins.FarBranch32;
                    op.Imm2 = ins.FarBranchSelector;
                    break;
                case OpKind.MemorySegSI:
                case OpKind.MemorySegESI:
                case OpKind.MemorySegDI:
                case OpKind.MemorySegEDI:
                case OpKind.MemoryESDI:
                case OpKind.MemoryESEDI:
                    k = Opnd.Str;
                    op.ASize = (byte)(kind is OpKind.MemorySegSI or OpKind.MemorySegDI or OpKind.MemoryESDI ? 2 : 4);
                    if (kind is OpKind.MemorySegSI or OpKind.MemorySegESI or OpKind.MemorySegDI or OpKind.MemorySegEDI)
                    {
                        op.Seg = (byte)(ins.MemorySegment - Register.ES);
                    }
                    if (size == 0 || ins.Mnemonic is Mnemonic.Outsb or Mnemonic.Outsw or Mnemonic.Outsd)
                    {
                        size = ins.MemorySize.GetSize(); // OUTS: the element's size, not that of DX before it
                    }
                    break;
                default:
                    k = Opnd.None;
                    break;
            }
            switch (i)
            {
                case 0: op.K0 = (byte)k; op.R0 = r; break;
                case 1: op.K1 = (byte)k; op.R1 = r; break;
                default: op.K2 = (byte)k; op.R2 = r; break;
            }
        }

        // Instructions whose operand size is implied by the encoding (PUSHAD, CWDE, RET, IRETD, string ops...).
        if (opSizeBits != 0 && (size == 0 || op.K0 is (byte)Opnd.None or (byte)Opnd.Rel or (byte)Opnd.Far or (byte)Opnd.SReg or (byte)Opnd.Imm))
        {
            size = opSizeBits / 8;
        }
        if (size == 0)
        {
            size = codeBits / 8;
        }
        op.Size = (byte)size;
        if (op.SrcSize == 0)
        {
            op.SrcSize = (byte)size;
        }
        if (op.ASize == 0)
        {
            op.ASize = (byte)(addrSizeBits != 0 ? addrSizeBits / 8 : codeBits / 8);
        }
        ref readonly InstructionFacts facts = ref InstructionTable.Of(ins.Code);
        op.Cc = facts.Selector;
        if (facts.IsX87)
        {
            op.Imm2 = (uint)ins.MemorySize; // the operand's format (m32fp, m16int, m80bcd, FPU environment...)
        }
        op.Form = (byte)ChooseForm(in op, facts.Group, specialise);
        return op;
    }

    /// <summary>Whether a block must end after <paramref name="ins"/> (see <see cref="InstructionFlags"/>).</summary>
    public static bool EndsBlock(in Instruction ins)
    {
        InstructionFlags flags = InstructionTable.Of(ins.Code).Flags;
        return (flags & InstructionFlags.EndsBlock) != 0 // an invalid encoding (Code.INVALID) is marked so too
            || ((flags & InstructionFlags.EndsBlockWhenRepeated) != 0 && (ins.HasRepePrefix || ins.HasRepnePrefix));
    }

    /// <summary>The dispatch form: a group handler, or with <paramref name="specialise"/> a specialised form for the common 32-bit operand shapes.</summary>
    private static OpForm ChooseForm(in DecodedOp op, InstructionGroup group, bool specialise)
    {
        OpForm any = group switch
        {
            InstructionGroup.Invalid => OpForm.Invalid,
            InstructionGroup.X87 => OpForm.X87,
            InstructionGroup.Jcc => OpForm.JccAny,
            InstructionGroup.Setcc => OpForm.SetccAny,
            InstructionGroup.Cmovcc => OpForm.CmovccAny,
            InstructionGroup.Alu => OpForm.AluAny,
            InstructionGroup.Shift => OpForm.ShiftAny,
            _ => OpForm.Generic,
        };
        if (!specialise)
        {
            return any;
        }
        OpForm special = Specialise(in op, group);
        return special == OpForm.Generic ? any : special;
    }

    /// <summary>Picks a specialised form for the common 32-bit operand shapes; <see cref="OpForm.Generic"/> when none fits.</summary>
    private static OpForm Specialise(in DecodedOp op, InstructionGroup group)
    {
        var k0 = (Opnd)op.K0;
        var k1 = (Opnd)op.K1;
        bool dword = op.Size == 4;
        switch (group)
        {
            case InstructionGroup.Jcc:
                return dword ? OpForm.Jcc : OpForm.Generic;
            case InstructionGroup.Jmp:
                return dword && k0 == Opnd.Rel ? OpForm.JmpRel : OpForm.Generic;
            case InstructionGroup.Call:
                return dword && k0 == Opnd.Rel ? OpForm.CallRel : OpForm.Generic;
            case InstructionGroup.Ret:
                return dword && k0 == Opnd.None ? OpForm.Ret : OpForm.Generic;
        }
        if (!dword || op.Lock != 0 || (op.K0 == (byte)Opnd.Mem && op.ASize != 4) || (op.K1 == (byte)Opnd.Mem && op.ASize != 4))
        {
            return OpForm.Generic;
        }
        switch (group)
        {
            case InstructionGroup.Mov:
                return (k0, k1) switch
                {
                    (Opnd.Reg, Opnd.Reg) => OpForm.MovRR,
                    (Opnd.Reg, Opnd.Imm) => OpForm.MovRI,
                    (Opnd.Reg, Opnd.Mem) => OpForm.MovRM,
                    (Opnd.Mem, Opnd.Reg) => OpForm.MovMR,
                    (Opnd.Mem, Opnd.Imm) => OpForm.MovMI,
                    _ => OpForm.Generic,
                };
            case InstructionGroup.Alu:
                return (k0, k1) switch
                {
                    (Opnd.Reg, Opnd.Reg) => OpForm.AluRR,
                    (Opnd.Reg, Opnd.Imm) => OpForm.AluRI,
                    (Opnd.Reg, Opnd.Mem) => OpForm.AluRM,
                    _ => OpForm.Generic,
                };
            case InstructionGroup.Inc:
                return k0 == Opnd.Reg ? OpForm.IncR : OpForm.Generic;
            case InstructionGroup.Dec:
                return k0 == Opnd.Reg ? OpForm.DecR : OpForm.Generic;
            case InstructionGroup.Push:
                return k0 == Opnd.Reg ? OpForm.PushR : k0 == Opnd.Imm ? OpForm.PushI : OpForm.Generic;
            case InstructionGroup.Pop:
                return k0 == Opnd.Reg ? OpForm.PopR : OpForm.Generic;
            case InstructionGroup.Lea:
                return op.ASize == 4 ? OpForm.Lea : OpForm.Generic;
            case InstructionGroup.Movzx:
                return k1 == Opnd.Reg ? OpForm.MovzxRR : op.SrcSize == 1 ? OpForm.MovzxRM8 : OpForm.MovzxRM16;
            case InstructionGroup.Shift:
                return k0 == Opnd.Reg && k1 == Opnd.Imm && op.Cc is 4 or 5 or 7 ? OpForm.ShiftRI : OpForm.Generic;
            case InstructionGroup.Imul:
                return op.K2 != (byte)Opnd.None ? OpForm.Generic : k1 == Opnd.Reg ? OpForm.ImulRR : k1 == Opnd.Mem ? OpForm.ImulRM : OpForm.Generic;
            default:
                return OpForm.Generic;
        }
    }
}
