using Iced.Intel;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Turns Iced's decoded <see cref="Instruction"/> into the interpreter's <see cref="DecodedOp"/>. Runs once per instruction per translation, never on the hot path.</summary>
internal static class Translator
{
    public static DecodedOp Translate(in Instruction ins, bool specialise = true)
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
        op.Cc = Selector(in ins);
        if (IsX87(ins.Mnemonic))
        {
            op.Imm2 = (uint)ins.MemorySize; // the operand's format (m32fp, m16int, m80bcd, FPU environment...)
        }
        op.Fast = specialise ? (byte)Specialise(in op) : (byte)FastOp.Generic;
        return op;
    }

    private static readonly bool[] s_x87 = BuildX87Table();

    private static bool[] BuildX87Table()
    {
        var table = new bool[Enum.GetValues<Mnemonic>().Length + 1];
        foreach (Mnemonic mn in Enum.GetValues<Mnemonic>())
        {
            // x87 mnemonics are the ones Iced spells with a leading F (Fadd, Fld, ...); FEMMS is 3DNow!.
            string name = mn.ToString();
            table[(int)mn] = name.Length > 1 && name[0] == 'F' && mn is not Mnemonic.Femms;
        }
        return table;
    }

    /// <summary>Whether a mnemonic is an x87 FPU instruction.</summary>
    public static bool IsX87(Mnemonic mn) => s_x87[(int)mn];

    /// <summary>Picks a <see cref="FastOp"/> form for the common 32-bit operand shapes.</summary>
    private static FastOp Specialise(in DecodedOp op)
    {
        var mn = (Mnemonic)op.Mn;
        var k0 = (Opnd)op.K0;
        var k1 = (Opnd)op.K1;
        bool dword = op.Size == 4;
        switch (mn)
        {
            case Mnemonic.Jo:
            case Mnemonic.Jno:
            case Mnemonic.Jb:
            case Mnemonic.Jae:
            case Mnemonic.Je:
            case Mnemonic.Jne:
            case Mnemonic.Jbe:
            case Mnemonic.Ja:
            case Mnemonic.Js:
            case Mnemonic.Jns:
            case Mnemonic.Jp:
            case Mnemonic.Jnp:
            case Mnemonic.Jl:
            case Mnemonic.Jge:
            case Mnemonic.Jle:
            case Mnemonic.Jg:
                return dword ? FastOp.Jcc : FastOp.Generic;
            case Mnemonic.Jmp:
                return dword && k0 == Opnd.Rel ? FastOp.JmpRel : FastOp.Generic;
            case Mnemonic.Call:
                return dword && k0 == Opnd.Rel ? FastOp.CallRel : FastOp.Generic;
            case Mnemonic.Ret:
                return dword && k0 == Opnd.None ? FastOp.Ret : FastOp.Generic;
        }
        if (!dword || op.Lock != 0 || (op.K0 == (byte)Opnd.Mem && op.ASize != 4) || (op.K1 == (byte)Opnd.Mem && op.ASize != 4))
        {
            return FastOp.Generic;
        }
        switch (mn)
        {
            case Mnemonic.Mov:
                return (k0, k1) switch
                {
                    (Opnd.Reg, Opnd.Reg) => FastOp.MovRR,
                    (Opnd.Reg, Opnd.Imm) => FastOp.MovRI,
                    (Opnd.Reg, Opnd.Mem) => FastOp.MovRM,
                    (Opnd.Mem, Opnd.Reg) => FastOp.MovMR,
                    (Opnd.Mem, Opnd.Imm) => FastOp.MovMI,
                    _ => FastOp.Generic,
                };
            case Mnemonic.Add:
            case Mnemonic.Or:
            case Mnemonic.Adc:
            case Mnemonic.Sbb:
            case Mnemonic.And:
            case Mnemonic.Sub:
            case Mnemonic.Xor:
            case Mnemonic.Cmp:
            case Mnemonic.Test:
                return (k0, k1) switch
                {
                    (Opnd.Reg, Opnd.Reg) => FastOp.AluRR,
                    (Opnd.Reg, Opnd.Imm) => FastOp.AluRI,
                    (Opnd.Reg, Opnd.Mem) => FastOp.AluRM,
                    _ => FastOp.Generic,
                };
            case Mnemonic.Inc:
                return k0 == Opnd.Reg ? FastOp.IncR : FastOp.Generic;
            case Mnemonic.Dec:
                return k0 == Opnd.Reg ? FastOp.DecR : FastOp.Generic;
            case Mnemonic.Push:
                return k0 == Opnd.Reg ? FastOp.PushR : k0 == Opnd.Imm ? FastOp.PushI : FastOp.Generic;
            case Mnemonic.Pop:
                return k0 == Opnd.Reg ? FastOp.PopR : FastOp.Generic;
            case Mnemonic.Lea:
                return op.ASize == 4 ? FastOp.Lea : FastOp.Generic;
            case Mnemonic.Movzx:
                return k1 == Opnd.Reg ? FastOp.MovzxRR : op.SrcSize == 1 ? FastOp.MovzxRM8 : FastOp.MovzxRM16;
            case Mnemonic.Shl:
            case Mnemonic.Sal:
            case Mnemonic.Shr:
            case Mnemonic.Sar:
                return k0 == Opnd.Reg && k1 == Opnd.Imm ? FastOp.ShiftRI : FastOp.Generic;
            case Mnemonic.Imul:
                return op.K2 != (byte)Opnd.None ? FastOp.Generic : k1 == Opnd.Reg ? FastOp.ImulRR : k1 == Opnd.Mem ? FastOp.ImulRM : FastOp.Generic;
            default:
                return FastOp.Generic;
        }
    }

    /// <summary>The per-mnemonic selector stored in <see cref="DecodedOp.Cc"/>: a condition code or an ALU operation.</summary>
    private static byte Selector(in Instruction ins)
    {
        ConditionCode cc = ins.ConditionCode;
        if (cc != ConditionCode.None)
        {
            return (byte)(cc - ConditionCode.o);
        }
        return ins.Mnemonic switch
        {
            Mnemonic.Add => Alu.Add,
            Mnemonic.Or => Alu.Or,
            Mnemonic.Adc => Alu.Adc,
            Mnemonic.Sbb => Alu.Sbb,
            Mnemonic.And => Alu.And,
            Mnemonic.Sub => Alu.Sub,
            Mnemonic.Xor => Alu.Xor,
            Mnemonic.Cmp => Alu.Cmp,
            Mnemonic.Test => Alu.Test,
            Mnemonic.Rol => 0,
            Mnemonic.Ror => 1,
            Mnemonic.Rcl => 2,
            Mnemonic.Rcr => 3,
            Mnemonic.Shl => 4,
            Mnemonic.Sal => 4,
            Mnemonic.Shr => 5,
            Mnemonic.Sar => 7,
            _ => 0,
        };
    }

    /// <summary>Whether a block must end after this instruction: control transfers and instructions that change how later code decodes, runs, or is interrupted.</summary>
    private static bool IsStringOperand(OpKind k) => k is OpKind.MemorySegSI or OpKind.MemorySegESI or OpKind.MemoryESDI or OpKind.MemoryESEDI;

    public static bool EndsBlock(in Instruction ins)
    {
        if (ins.IsInvalid || ins.FlowControl != FlowControl.Next)
        {
            return true;
        }
        if ((ins.HasRepePrefix || ins.HasRepnePrefix) && IsStringOperand(ins.Op0Kind) | IsStringOperand(ins.Op1Kind))
        {
            return true; // a repeated string instruction may stop part-way and run again
        }
        switch (ins.Mnemonic)
        {
            case Mnemonic.Sti:
            case Mnemonic.Cli:
            case Mnemonic.Popf:
            case Mnemonic.Popfd: // may set IF: a pending interrupt is taken right after it (SDM vol. 3A 6.8.1)
            case Mnemonic.Hlt:
            case Mnemonic.Lgdt:
            case Mnemonic.Lidt:
            case Mnemonic.Lldt:
            case Mnemonic.Ltr:
            case Mnemonic.Lmsw:
            case Mnemonic.Clts:
            case Mnemonic.Invlpg:
            case Mnemonic.Wrmsr:
            case Mnemonic.In:
            case Mnemonic.Out:
            case Mnemonic.Insb:
            case Mnemonic.Insw:
            case Mnemonic.Insd:
            case Mnemonic.Outsb:
            case Mnemonic.Outsw:
            case Mnemonic.Outsd:
            case Mnemonic.Lss:
            case Mnemonic.Wbinvd:
            case Mnemonic.Invd:
                return true;
            case Mnemonic.Mov:
                return ins.Op0Kind == OpKind.Register && (ins.Op0Register.IsSegmentRegister() || ins.Op0Register.IsCR() || ins.Op0Register.IsDR());
            case Mnemonic.Pop:
                return ins.Op0Kind == OpKind.Register && ins.Op0Register.IsSegmentRegister();
            default:
                return false;
        }
    }
}
