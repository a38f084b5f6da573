using System.Reflection;
using System.Reflection.Emit;

namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// Compiles a decoded <see cref="Block"/> to a <see cref="DynamicMethod"/> that .NET's JIT turns
/// into host code. The hot 32-bit forms work on the guest registers held in IL locals
/// (<see cref="RegisterCache"/>, <see cref="LocalForms"/>) and leave out flag records that a
/// later instruction overwrites unseen (<see cref="FlagLiveness"/>); every other instruction
/// becomes a call, with its operands as constants, to its form's method in Cpu.Compiled*.cs
/// (inlined and specialised by the JIT), or to the interpreter's dispatch for the forms without
/// one. Around them the block keeps the interpreter's bookkeeping only where it is observable:
/// EIP, the instruction count and the registers are stored before an instruction that can
/// fault or reach a device (a fault is then precise, and a device reading the clock sees the
/// interpreter's time), the next EIP before a branch or an interpreted instruction, and the
/// early-exit flag is tested after an instruction that can set it (a write to code, a
/// watchpoint, an interrupt request changing). Register-only instructions in between cost just
/// their own work.
/// </summary>
internal static class BlockCompiler
{
    private const BindingFlags Any = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly FieldInfo s_eip = Field(typeof(CpuState), nameof(CpuState.Eip));
    private static readonly FieldInfo s_count = Field(typeof(CpuState), nameof(CpuState.InstructionCount));
    private static readonly FieldInfo s_next = Field(typeof(Cpu), "_next");
    private static readonly FieldInfo s_exit = Field(typeof(Cpu), "_exitBlock");
    private static readonly FieldInfo s_ops = Field(typeof(Block), nameof(Block.Ops));

    private static FieldInfo Field(Type t, string name) =>
        t.GetField(name, Any) ?? throw new MissingFieldException(t.Name, name);

    internal static MethodInfo Method(string name) =>
        typeof(Cpu).GetMethod(name, Any) ?? throw new MissingMethodException(nameof(Cpu), name);

    private static readonly MethodInfo s_jcc = Method(nameof(Cpu.CJcc));
    private static readonly MethodInfo s_jmpRel = Method(nameof(Cpu.CJmpRel));
    private static readonly MethodInfo s_movzxRR = Method(nameof(Cpu.CMovzxRR));
    private static readonly MethodInfo s_movSizedRR = Method(nameof(Cpu.CMovSizedRR));
    private static readonly MethodInfo s_movSizedRI = Method(nameof(Cpu.CMovSizedRI));
    private static readonly MethodInfo s_movSizedRM = Method(nameof(Cpu.CMovSizedRM));
    private static readonly MethodInfo s_movSizedMR = Method(nameof(Cpu.CMovSizedMR));
    private static readonly MethodInfo s_movSizedMI = Method(nameof(Cpu.CMovSizedMI));
    private static readonly MethodInfo s_extendRR = Method(nameof(Cpu.CExtendRR));
    private static readonly MethodInfo s_extendRM = Method(nameof(Cpu.CExtendRM));
    private static readonly MethodInfo s_xchgRR = Method(nameof(Cpu.CXchgRR));
    private static readonly MethodInfo s_xchgMR = Method(nameof(Cpu.CXchgMR));
    private static readonly MethodInfo s_cwde = Method(nameof(Cpu.CCwde));
    private static readonly MethodInfo s_cdq = Method(nameof(Cpu.CCdq));
    private static readonly MethodInfo s_pushM = Method(nameof(Cpu.CPushM));
    private static readonly MethodInfo s_aluSizedRR = Method(nameof(Cpu.CAluSizedRR));
    private static readonly MethodInfo s_aluSizedRI = Method(nameof(Cpu.CAluSizedRI));
    private static readonly MethodInfo s_aluSizedRM = Method(nameof(Cpu.CAluSizedRM));
    private static readonly MethodInfo s_aluMR = Method(nameof(Cpu.CAluMR));
    private static readonly MethodInfo s_aluMI = Method(nameof(Cpu.CAluMI));
    private static readonly MethodInfo s_unaryR = Method(nameof(Cpu.CUnaryR));
    private static readonly MethodInfo s_unaryM = Method(nameof(Cpu.CUnaryM));
    private static readonly MethodInfo s_mulDivR = Method(nameof(Cpu.CMulDivR));
    private static readonly MethodInfo s_mulDivM = Method(nameof(Cpu.CMulDivM));
    private static readonly MethodInfo s_imulRMI = Method(nameof(Cpu.CImulRMI));
    private static readonly MethodInfo s_shiftRC = Method(nameof(Cpu.CShiftRC));
    private static readonly MethodInfo s_shiftM = Method(nameof(Cpu.CShiftM));
    private static readonly MethodInfo s_btRR = Method(nameof(Cpu.CBtRR));
    private static readonly MethodInfo s_btRI = Method(nameof(Cpu.CBtRI));
    private static readonly MethodInfo s_btMR = Method(nameof(Cpu.CBtMR));
    private static readonly MethodInfo s_btMI = Method(nameof(Cpu.CBtMI));
    private static readonly MethodInfo s_setccR = Method(nameof(Cpu.CSetccR));
    private static readonly MethodInfo s_setccM = Method(nameof(Cpu.CSetccM));
    private static readonly MethodInfo s_cmovRR = Method(nameof(Cpu.CCmovRR));
    private static readonly MethodInfo s_cmovRM = Method(nameof(Cpu.CCmovRM));
    private static readonly MethodInfo s_jmpR = Method(nameof(Cpu.CJmpR));
    private static readonly MethodInfo s_jmpM = Method(nameof(Cpu.CJmpM));
    private static readonly MethodInfo s_callR = Method(nameof(Cpu.CCallR));
    private static readonly MethodInfo s_callM = Method(nameof(Cpu.CCallM));
    private static readonly MethodInfo s_interpret = Method(nameof(Cpu.CInterpret));

    /// <summary>Compiles <paramref name="block"/>; <paramref name="ilBytes"/> is the size of the IL emitted.</summary>
    public static CompiledCode Compile(Block block, out int ilBytes)
    {
        var dm = new DynamicMethod($"block_{block.Phys:x8}", typeof(bool), [typeof(Block), typeof(Cpu)], typeof(Cpu).Module, skipVisibility: true);
        ILGenerator il = dm.GetILGenerator(64 + block.Count * 48);
        LocalBuilder eip0 = il.DeclareLocal(typeof(uint));
        LocalBuilder count0 = il.DeclareLocal(typeof(ulong));
        // Called without a CPU, the code only returns: the compile thread calls it so, to have .NET's
        // JIT compile it there rather than on the guest's thread at its first real run.
        Label start = il.DefineLabel();
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Brtrue, start);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ret);
        il.MarkLabel(start);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldfld, s_eip);
        il.Emit(OpCodes.Stloc, eip0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldfld, s_count);
        il.Emit(OpCodes.Stloc, count0);
        var regs = new RegisterCache(il);

        var forms = new CompiledForm[block.Count];
        for (int i = 0; i < block.Count; i++)
        {
            forms[i] = FormSelection.Select(in block.Ops[i]);
        }
        bool[] flagsNeeded = FlagLiveness.Needed(block, forms);

        int off = 0;
        bool lastSetsNext = false, lastMayExit = false;
        for (int i = 0; i < block.Count; i++)
        {
            ref readonly DecodedOp op = ref block.Ops[i];
            int nextOff = off + op.Len;
            bool last = i == block.Count - 1;
            CompiledForm form = forms[i];
            FormTraits traits = TraitsOf(form);
            bool local = LocalForms.Handles(form);
            if (traits.HasFlag(FormTraits.Faults) || !local)
            {
                // A fault must find the interpreter's registers in R, and a form on R must find them there.
                regs.Spill();
            }
            if (traits.HasFlag(FormTraits.Faults))
            {
                StoreEipPlus(il, s_eip, eip0, off);
                StoreCount(il, count0, i);
            }
            if (traits.HasFlag(FormTraits.SetsNext))
            {
                StoreEipPlus(il, s_next, eip0, nextOff);
            }
            if (local)
            {
                LocalForms.Emit(il, regs, in op, form, flagsNeeded[i], eip0, nextOff);
            }
            else
            {
                EmitForm(il, in op, form, i, eip0, nextOff);
                regs.Forget(RegistersWritten(form));
            }
            if (IsInterpreted(form))
            {
                // A repeated string instruction counts its elements itself: take the count from the
                // field again (count0 = InstructionCount - i), so the stores after it add up to the interpreter's.
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldfld, s_count);
                if (i != 0)
                {
                    Int(il, i);
                    il.Emit(OpCodes.Conv_U8);
                    il.Emit(OpCodes.Sub);
                }
                il.Emit(OpCodes.Stloc, count0);
            }
            if (traits.HasFlag(FormTraits.MayExit) && !last)
            {
                Label go = il.DefineLabel();
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldfld, s_exit);
                if (IsInterpreted(form))
                {
                    // An interpreted instruction in mid-block never branches (branches end blocks); if one
                    // did, leaving here with EIP from its next EIP is what the interpreter would do anyway.
                    Label leave = il.DefineLabel();
                    il.Emit(OpCodes.Brtrue, leave);
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Ldfld, s_next);
                    EipPlus(il, eip0, nextOff);
                    il.Emit(OpCodes.Beq, go);
                    il.MarkLabel(leave);
                    regs.EmitWriteBack();
                    EmitEarlyExit(il, count0, i + 1, nextEipFromField: true, eip0, nextOff);
                }
                else
                {
                    il.Emit(OpCodes.Brfalse, go);
                    regs.EmitWriteBack();
                    EmitEarlyExit(il, count0, i + 1, nextEipFromField: false, eip0, nextOff);
                }
                il.MarkLabel(go);
            }
            if (last)
            {
                lastSetsNext = traits.HasFlag(FormTraits.SetsNext);
                lastMayExit = traits.HasFlag(FormTraits.MayExit);
            }
            off = nextOff;
        }

        // The end of the block: the registers, EIP from the last instruction's next EIP (a branch's target), the count.
        regs.Spill();
        StoreNextEip(il, lastSetsNext, eip0, off);
        StoreCount(il, count0, block.Count);
        if (lastMayExit)
        {
            Label chain = il.DefineLabel();
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldfld, s_exit);
            il.Emit(OpCodes.Brfalse, chain);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Stfld, s_exit);
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Ret);
            il.MarkLabel(chain);
        }
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Ret);
        ilBytes = il.ILOffset;
        return (CompiledCode)dm.CreateDelegate(typeof(CompiledCode), block);
    }

    /// <summary>
    /// The general registers (bit n: register n) a form working on R may write, whose locals must
    /// be read again after it. Stores, branches and compares write none; the stack forms write
    /// ESP; anything else is taken to write them all (they are read again only where used).
    /// </summary>
    private static int RegistersWritten(CompiledForm form) => form switch
    {
        CompiledForm.Nop or CompiledForm.Jcc or CompiledForm.JmpRel or CompiledForm.JmpR or CompiledForm.JmpM
            or CompiledForm.MovSizedMR or CompiledForm.MovSizedMI or CompiledForm.AluMR or CompiledForm.AluMI
            or CompiledForm.UnaryM or CompiledForm.ShiftM or CompiledForm.BtMR or CompiledForm.BtMI or CompiledForm.SetccM => 0,
        CompiledForm.PushM or CompiledForm.CallR or CompiledForm.CallM => 1 << Reg.Esp,
        _ => 0xFF,
    };

    /// <summary>What a form's compiled code must keep of the interpreter's per-instruction bookkeeping.</summary>
    [Flags]
    private enum FormTraits
    {
        None = 0,
        Faults = 1,    // can raise an exception or reach a device: EIP and the count are stored first
        SetsNext = 2,  // reads or writes the next EIP (branches, the interpreter's dispatch)
        MayExit = 4,   // can ask the block to end (memory, ports, the interpreter's dispatch)
    }

    private static FormTraits TraitsOf(CompiledForm form) => form switch
    {
        CompiledForm.Nop or CompiledForm.MovRR or CompiledForm.MovRI or CompiledForm.AluRR or CompiledForm.AluRI or CompiledForm.IncR
            or CompiledForm.DecR or CompiledForm.Lea or CompiledForm.MovzxRR or CompiledForm.ShiftRI or CompiledForm.ImulRR
            or CompiledForm.MovSizedRR or CompiledForm.MovSizedRI or CompiledForm.ExtendRR or CompiledForm.XchgRR or CompiledForm.Cwde
            or CompiledForm.Cdq or CompiledForm.AluSizedRR or CompiledForm.AluSizedRI or CompiledForm.UnaryR or CompiledForm.ImulRRI
            or CompiledForm.ShiftRC or CompiledForm.BtRR or CompiledForm.BtRI or CompiledForm.SetccR or CompiledForm.CmovRR => FormTraits.None,
        CompiledForm.MulDivR => FormTraits.Faults, // DIV and IDIV: #DE
        CompiledForm.MovRM or CompiledForm.MovMR or CompiledForm.MovMI or CompiledForm.AluRM or CompiledForm.PushR or CompiledForm.PushI
            or CompiledForm.PopR or CompiledForm.MovzxRM8 or CompiledForm.MovzxRM16 or CompiledForm.ImulRM
            or CompiledForm.MovSizedRM or CompiledForm.MovSizedMR or CompiledForm.MovSizedMI or CompiledForm.ExtendRM or CompiledForm.XchgMR
            or CompiledForm.PushM or CompiledForm.AluSizedRM or CompiledForm.AluMR or CompiledForm.AluMI or CompiledForm.UnaryM
            or CompiledForm.MulDivM or CompiledForm.ImulRMI or CompiledForm.ShiftM or CompiledForm.BtMR or CompiledForm.BtMI
            or CompiledForm.SetccM or CompiledForm.CmovRM => FormTraits.Faults | FormTraits.MayExit,
        CompiledForm.Jcc or CompiledForm.JmpRel or CompiledForm.JmpR => FormTraits.Faults | FormTraits.SetsNext,
        _ => FormTraits.Faults | FormTraits.SetsNext | FormTraits.MayExit, // calls, returns, indirect jumps through memory, the interpreter
    };

    /// <summary>Whether the form goes through the interpreter's dispatch rather than a compiled form.</summary>
    private static bool IsInterpreted(CompiledForm form) => form == CompiledForm.Interpreted;

    private static void EmitForm(ILGenerator il, in DecodedOp op, CompiledForm form, int index, LocalBuilder eip0, int nextOff)
    {
        if (form == CompiledForm.Nop)
        {
            return;
        }
        il.Emit(OpCodes.Ldarg_1);
        switch (form)
        {
            case CompiledForm.Jcc: Ints(il, op.Cc); EipPlus(il, eip0, nextOff, op.Imm); Call(il, s_jcc); break;
            case CompiledForm.JmpRel: EipPlus(il, eip0, nextOff, op.Imm); Call(il, s_jmpRel); break;
            case CompiledForm.MovzxRR: Ints(il, op.R0, op.R1, op.SrcSize); Call(il, s_movzxRR); break;
            case CompiledForm.MovSizedRR: Ints(il, op.Size, op.R0, op.R1); Call(il, s_movSizedRR); break;
            case CompiledForm.MovSizedRI: Ints(il, op.Size, op.R0); UInt(il, op.Imm); Call(il, s_movSizedRI); break;
            case CompiledForm.MovSizedRM: Ints(il, op.Size, op.R0); Mem(il, in op); Call(il, s_movSizedRM); break;
            case CompiledForm.MovSizedMR: Ints(il, op.Size, op.R1); Mem(il, in op); Call(il, s_movSizedMR); break;
            case CompiledForm.MovSizedMI: Ints(il, op.Size); UInt(il, op.Imm); Mem(il, in op); Call(il, s_movSizedMI); break;
            case CompiledForm.ExtendRR: Ints(il, FormSelection.KindOf(in op), op.Size, op.SrcSize, op.R0, op.R1); Call(il, s_extendRR); break;
            case CompiledForm.ExtendRM: Ints(il, FormSelection.KindOf(in op), op.Size, op.SrcSize, op.R0); Mem(il, in op); Call(il, s_extendRM); break;
            case CompiledForm.XchgRR: Ints(il, op.Size, op.R0, op.R1); Call(il, s_xchgRR); break;
            case CompiledForm.XchgMR: Ints(il, op.Size, op.R1); Mem(il, in op); Call(il, s_xchgMR); break;
            case CompiledForm.Cwde: Call(il, s_cwde); break;
            case CompiledForm.Cdq: Call(il, s_cdq); break;
            case CompiledForm.PushM: Mem(il, in op); Call(il, s_pushM); break;
            case CompiledForm.AluSizedRR: Ints(il, op.Cc, op.Size, op.R0, op.R1); Call(il, s_aluSizedRR); break;
            case CompiledForm.AluSizedRI: Ints(il, op.Cc, op.Size, op.R0); UInt(il, op.Imm); Call(il, s_aluSizedRI); break;
            case CompiledForm.AluSizedRM: Ints(il, op.Cc, op.Size, op.R0); Mem(il, in op); Call(il, s_aluSizedRM); break;
            case CompiledForm.AluMR: Ints(il, op.Cc, op.Size, op.R1); Mem(il, in op); Call(il, s_aluMR); break;
            case CompiledForm.AluMI: Ints(il, op.Cc, op.Size); UInt(il, op.Imm); Mem(il, in op); Call(il, s_aluMI); break;
            case CompiledForm.UnaryR: Ints(il, FormSelection.KindOf(in op), op.Size, op.R0); Call(il, s_unaryR); break;
            case CompiledForm.UnaryM: Ints(il, FormSelection.KindOf(in op), op.Size); Mem(il, in op); Call(il, s_unaryM); break;
            case CompiledForm.MulDivR: Ints(il, FormSelection.KindOf(in op), op.Size, op.R0); Call(il, s_mulDivR); break;
            case CompiledForm.MulDivM: Ints(il, FormSelection.KindOf(in op), op.Size); Mem(il, in op); Call(il, s_mulDivM); break;
            case CompiledForm.ImulRMI: Ints(il, op.R0); UInt(il, op.Imm); Mem(il, in op); Call(il, s_imulRMI); break;
            case CompiledForm.ShiftRC: Ints(il, op.Cc, op.Size, op.R0); Call(il, s_shiftRC); break;
            case CompiledForm.ShiftM:
                Ints(il, op.Cc, op.Size, op.K1 == (byte)Opnd.Imm ? (int)(op.Imm & 0x1F) : -1);
                Mem(il, in op);
                Call(il, s_shiftM);
                break;
            case CompiledForm.BtRR: Ints(il, FormSelection.KindOf(in op), op.Size, op.R0, op.R1); Call(il, s_btRR); break;
            case CompiledForm.BtRI: Ints(il, FormSelection.KindOf(in op), op.Size, op.R0); UInt(il, op.Imm); Call(il, s_btRI); break;
            case CompiledForm.BtMR: Ints(il, FormSelection.KindOf(in op), op.Size, op.R1); Mem(il, in op); Call(il, s_btMR); break;
            case CompiledForm.BtMI: Ints(il, FormSelection.KindOf(in op), op.Size); UInt(il, op.Imm); Mem(il, in op); Call(il, s_btMI); break;
            case CompiledForm.SetccR: Ints(il, op.Cc, op.R0); Call(il, s_setccR); break;
            case CompiledForm.SetccM: Ints(il, op.Cc); Mem(il, in op); Call(il, s_setccM); break;
            case CompiledForm.CmovRR: Ints(il, op.Cc, op.Size, op.R0, op.R1); Call(il, s_cmovRR); break;
            case CompiledForm.CmovRM: Ints(il, op.Cc, op.Size, op.R0); Mem(il, in op); Call(il, s_cmovRM); break;
            case CompiledForm.JmpR: Ints(il, op.R0); Call(il, s_jmpR); break;
            case CompiledForm.JmpM: Mem(il, in op); Call(il, s_jmpM); break;
            case CompiledForm.CallR: Ints(il, op.R0); EipPlus(il, eip0, nextOff); Call(il, s_callR); break;
            case CompiledForm.CallM: EipPlus(il, eip0, nextOff); Mem(il, in op); Call(il, s_callM); break;
            default:
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, s_ops);
                Ints(il, index);
                Call(il, s_interpret);
                break;
        }
    }

    /// <summary>Leaves the block after instruction <paramref name="retired"/> - 1: EIP past it, the count, the exit flag cleared, false.</summary>
    private static void EmitEarlyExit(ILGenerator il, LocalBuilder count0, int retired, bool nextEipFromField, LocalBuilder eip0, int nextOff)
    {
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Stfld, s_exit);
        StoreNextEip(il, nextEipFromField, eip0, nextOff);
        StoreCount(il, count0, retired);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>EIP past an instruction: its next EIP as it set it (a branch, an interpreted instruction), or the block's first EIP plus <paramref name="off"/>.</summary>
    private static void StoreNextEip(ILGenerator il, bool fromField, LocalBuilder eip0, int off)
    {
        if (fromField)
        {
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldfld, s_next);
            il.Emit(OpCodes.Stfld, s_eip);
        }
        else
        {
            StoreEipPlus(il, s_eip, eip0, off);
        }
    }

    /// <summary>Stores the block's first EIP plus <paramref name="off"/> into <paramref name="field"/> (EIP, or the next EIP).</summary>
    private static void StoreEipPlus(ILGenerator il, FieldInfo field, LocalBuilder eip0, int off)
    {
        il.Emit(OpCodes.Ldarg_1);
        EipPlus(il, eip0, off);
        il.Emit(OpCodes.Stfld, field);
    }

    private static void StoreCount(ILGenerator il, LocalBuilder count0, int retired)
    {
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldloc, count0);
        if (retired != 0)
        {
            Int(il, retired);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Add);
        }
        il.Emit(OpCodes.Stfld, s_count);
    }

    /// <summary>Pushes the block's first EIP plus <paramref name="off"/> plus <paramref name="extra"/>, wrapping at 32 bits as the interpreter's uint arithmetic does.</summary>
    internal static void EipPlus(ILGenerator il, LocalBuilder eip0, int off, uint extra = 0)
    {
        il.Emit(OpCodes.Ldloc, eip0);
        uint k = (uint)off + extra;
        if (k != 0)
        {
            Int(il, unchecked((int)k));
            il.Emit(OpCodes.Add);
        }
    }

    private static void Mem(ILGenerator il, in DecodedOp op)
    {
        Ints(il, op.Seg, op.Base, op.Index, op.Scale);
        UInt(il, op.Disp);
    }

    private static void Ints(ILGenerator il, params ReadOnlySpan<int> values)
    {
        foreach (int v in values)
        {
            Int(il, v);
        }
    }

    private static void UInt(ILGenerator il, uint v) => Int(il, unchecked((int)v));

    /// <summary>Pushes a constant in its shortest IL encoding (ldc.i4.m1 to ldc.i4.8: 1 byte; ldc.i4.s: 2; ldc.i4: 5).</summary>
    internal static void Int(ILGenerator il, int v)
    {
        switch (v)
        {
            case -1: il.Emit(OpCodes.Ldc_I4_M1); break;
            case 0: il.Emit(OpCodes.Ldc_I4_0); break;
            case 1: il.Emit(OpCodes.Ldc_I4_1); break;
            case 2: il.Emit(OpCodes.Ldc_I4_2); break;
            case 3: il.Emit(OpCodes.Ldc_I4_3); break;
            case 4: il.Emit(OpCodes.Ldc_I4_4); break;
            case 5: il.Emit(OpCodes.Ldc_I4_5); break;
            case 6: il.Emit(OpCodes.Ldc_I4_6); break;
            case 7: il.Emit(OpCodes.Ldc_I4_7); break;
            case 8: il.Emit(OpCodes.Ldc_I4_8); break;
            case >= sbyte.MinValue and <= sbyte.MaxValue: il.Emit(OpCodes.Ldc_I4_S, (sbyte)v); break;
            default: il.Emit(OpCodes.Ldc_I4, v); break;
        }
    }

    private static void Call(ILGenerator il, MethodInfo m) => il.Emit(OpCodes.Call, m);
}
