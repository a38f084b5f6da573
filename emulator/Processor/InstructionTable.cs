using Iced.Intel;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The per-instruction facts, one entry per Iced <see cref="Code"/>, computed once from Iced's
/// own tables (flow control, CPUID features, condition codes, operand kinds) instead of being
/// spelled out in separate switches that drift apart (Bochs' ia_opcodes.def and ARMeilleure's
/// OpCodeTable are the models). The decoder reads it for where a block ends, the selector, the
/// dispatch group and whether an instruction is x87; a compiled tier reads the same facts.
/// </summary>
internal static class InstructionTable
{
    private static readonly int s_codeCount = Enum.GetValues<Code>().Length;
    private static readonly InstructionFacts[] s_facts = Build();

    /// <summary>The facts of <paramref name="code"/>.</summary>
    public static ref readonly InstructionFacts Of(Code code) => ref s_facts[(int)code];

    /// <summary>Whether <paramref name="mnemonic"/> is an x87 instruction (any of its encodings is).</summary>
    public static bool IsX87(Mnemonic mnemonic) => s_x87Mnemonics[(int)mnemonic];

    private static readonly bool[] s_x87Mnemonics = BuildX87Mnemonics();

    private static InstructionFacts[] Build()
    {
        var facts = new InstructionFacts[s_codeCount];
        for (int i = 0; i < facts.Length; i++)
        {
            var code = (Code)i;
            InstructionFlags flags = Flags(code);
            facts[i] = new InstructionFacts(flags, Selector(code), Group(code, flags));
        }
        return facts;
    }

    private static bool[] BuildX87Mnemonics()
    {
        var table = new bool[Enum.GetValues<Mnemonic>().Length];
        for (int i = 0; i < s_facts.Length; i++)
        {
            if (s_facts[i].IsX87)
            {
                table[(int)((Code)i).Mnemonic()] = true;
            }
        }
        return table;
    }

    /// <summary>
    /// x87 instructions: the ESC opcodes D8-DF, and by their CPUID feature (FPU, 287, 387) and
    /// FXSAVE/FXRSTOR, which save and restore the x87 state and are executed by the x87 unit here.
    /// FWAIT is not one: it belongs to the integer unit and only checks for pending x87 exceptions.
    /// </summary>
    private static bool IsX87Code(Code code)
    {
        if (code == Code.INVALID)
        {
            return false;
        }
        OpCodeInfo info = code.ToOpCode();
        if (info.Encoding == EncodingKind.Legacy && info.Table == OpCodeTableKind.Normal && info.OpCode is >= 0xD8 and <= 0xDF)
        {
            return true; // every ESC opcode, even one this CPU lacks (FISTTP is SSE3): #NM comes before #UD
        }
        foreach (CpuidFeature f in code.CpuidFeatures())
        {
            if (f is CpuidFeature.FPU or CpuidFeature.FPU287 or CpuidFeature.FPU387 or CpuidFeature.FPU287XL_ONLY or CpuidFeature.FXSR)
            {
                return true;
            }
        }
        return false;
    }

    private static InstructionFlags Flags(Code code)
    {
        if (code == Code.INVALID)
        {
            return InstructionFlags.EndsBlock;
        }
        InstructionFlags flags = 0;
        if (IsX87Code(code))
        {
            flags |= InstructionFlags.X87;
        }
        if (EndsBlock(code))
        {
            flags |= InstructionFlags.EndsBlock;
        }
        if (IsString(code))
        {
            flags |= InstructionFlags.EndsBlockWhenRepeated;
        }
        return flags;
    }

    /// <summary>
    /// Whether a block must end after this instruction: control transfers, and instructions that
    /// change how later code decodes, runs or is interrupted (mode, descriptor tables, paging,
    /// interrupt flag and shadows), or that talk to devices which may raise an interrupt.
    /// </summary>
    private static bool EndsBlock(Code code)
    {
        if (code.FlowControl() != FlowControl.Next)
        {
            return true;
        }
        OpCodeInfo info = code.ToOpCode();
        switch (code.Mnemonic())
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
                // to a segment, control, debug or test register; loads from them do not end a block
                return info.Op0Kind is OpCodeOperandKind.seg_reg or OpCodeOperandKind.cr_reg or OpCodeOperandKind.dr_reg or OpCodeOperandKind.tr_reg;
            case Mnemonic.Pop:
                return info.Op0Kind is OpCodeOperandKind.es or OpCodeOperandKind.ss or OpCodeOperandKind.ds or OpCodeOperandKind.fs or OpCodeOperandKind.gs;
            default:
                return false;
        }
    }

    /// <summary>String instructions: with a REP prefix they may stop part-way and run again, so they end a block then.</summary>
    private static bool IsString(Code code)
    {
        OpCodeInfo info = code.ToOpCode();
        for (int i = 0; i < info.OpCount; i++)
        {
            if (info.GetOpKind(i) is OpCodeOperandKind.seg_rSI or OpCodeOperandKind.es_rDI or OpCodeOperandKind.seg_rDI)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The per-mnemonic selector: a condition code (o..g as 0..15), an ALU operation (<see cref="Alu"/>) or a shift's /r field.</summary>
    private static byte Selector(Code code)
    {
        ConditionCode cc = code.ConditionCode();
        if (cc != ConditionCode.None)
        {
            return (byte)(cc - ConditionCode.o);
        }
        return code.Mnemonic() switch
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

    /// <summary>The instruction's group: the handler it shares with others, and the family its specialised forms come from.</summary>
    private static InstructionGroup Group(Code code, InstructionFlags flags)
    {
        if (code == Code.INVALID)
        {
            return InstructionGroup.Invalid;
        }
        if ((flags & InstructionFlags.X87) != 0)
        {
            return InstructionGroup.X87;
        }
        Mnemonic mn = code.Mnemonic();
        if (code.ConditionCode() != ConditionCode.None)
        {
            if (code.IsJccShortOrNear())
            {
                return InstructionGroup.Jcc;
            }
            OpCodeInfo info = code.ToOpCode();
            if (info.Table == OpCodeTableKind.T0F && (info.OpCode & 0xF0) == 0x40)
            {
                return InstructionGroup.Cmovcc; // 0F 40-4F
            }
            if (info.Table == OpCodeTableKind.T0F && (info.OpCode & 0xF0) == 0x90)
            {
                return InstructionGroup.Setcc; // 0F 90-9F
            }
        }
        return mn switch
        {
            Mnemonic.Add or Mnemonic.Or or Mnemonic.Adc or Mnemonic.Sbb or Mnemonic.And or Mnemonic.Sub or Mnemonic.Xor or Mnemonic.Cmp or Mnemonic.Test => InstructionGroup.Alu,
            Mnemonic.Rol or Mnemonic.Ror or Mnemonic.Rcl or Mnemonic.Rcr or Mnemonic.Shl or Mnemonic.Sal or Mnemonic.Shr or Mnemonic.Sar => InstructionGroup.Shift,
            Mnemonic.Mov => InstructionGroup.Mov,
            Mnemonic.Inc => InstructionGroup.Inc,
            Mnemonic.Dec => InstructionGroup.Dec,
            Mnemonic.Push => InstructionGroup.Push,
            Mnemonic.Pop => InstructionGroup.Pop,
            Mnemonic.Lea => InstructionGroup.Lea,
            Mnemonic.Movzx => InstructionGroup.Movzx,
            Mnemonic.Imul => InstructionGroup.Imul,
            Mnemonic.Jmp => InstructionGroup.Jmp,
            Mnemonic.Call => InstructionGroup.Call,
            Mnemonic.Ret => InstructionGroup.Ret,
            Mnemonic.Ud0 or Mnemonic.Ud1 or Mnemonic.Ud2 => InstructionGroup.Invalid,
            _ => InstructionGroup.Other,
        };
    }
}
