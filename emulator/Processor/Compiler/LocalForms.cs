using System.Reflection;
using System.Reflection.Emit;

namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// Emits the forms that work on the block's register locals (<see cref="RegisterCache"/>): the
/// 32-bit moves, ALU, INC/DEC, LEA, loads and stores, shifts by a constant, IMUL, and the stack
/// forms (PUSH, POP, CALL rel32, RET). The semantics are the methods of Cpu.Compiled.Local.cs and
/// the memory helpers of Cpu.Compiled.cs; what this adds is where the registers live. Every
/// other form works on <see cref="CpuState.R"/> and is emitted by <see cref="BlockCompiler"/>.
/// </summary>
internal static class LocalForms
{
    private static readonly MethodInfo s_loadD = BlockCompiler.Method("LoadD");
    private static readonly MethodInfo s_loadW = BlockCompiler.Method("LoadW");
    private static readonly MethodInfo s_loadB = BlockCompiler.Method("LoadB");
    private static readonly MethodInfo s_storeD = BlockCompiler.Method("StoreD");
    private static readonly MethodInfo s_alu = BlockCompiler.Method(nameof(Cpu.LAlu));
    private static readonly MethodInfo s_incDec = BlockCompiler.Method(nameof(Cpu.LIncDec));
    private static readonly MethodInfo s_shift = BlockCompiler.Method(nameof(Cpu.LShift));
    private static readonly MethodInfo s_imul = BlockCompiler.Method(nameof(Cpu.LImul));
    private static readonly MethodInfo s_push = BlockCompiler.Method(nameof(Cpu.LPush32));
    private static readonly MethodInfo s_top = BlockCompiler.Method(nameof(Cpu.LStackTop32));
    private static readonly MethodInfo s_espAfterPop = BlockCompiler.Method(nameof(Cpu.LEspAfterPop4));
    private static readonly MethodInfo s_branch = BlockCompiler.Method(nameof(Cpu.LBranch));

    /// <summary>Whether <paramref name="form"/> is emitted here (and then touches R only through the cache).</summary>
    public static bool Handles(CompiledForm form) => form is CompiledForm.MovRR or CompiledForm.MovRI or CompiledForm.MovRM
        or CompiledForm.MovMR or CompiledForm.MovMI or CompiledForm.AluRR or CompiledForm.AluRI or CompiledForm.AluRM
        or CompiledForm.IncR or CompiledForm.DecR or CompiledForm.Lea or CompiledForm.MovzxRM8 or CompiledForm.MovzxRM16
        or CompiledForm.ShiftRI or CompiledForm.ImulRR or CompiledForm.ImulRRI or CompiledForm.ImulRM
        or CompiledForm.PushR or CompiledForm.PushI or CompiledForm.PopR or CompiledForm.CallRel or CompiledForm.Ret;

    /// <summary>Emits <paramref name="form"/>; <paramref name="flags"/> false leaves out a dead flag record (<see cref="FlagLiveness"/>); the next EIP is <paramref name="eip0"/> + <paramref name="nextOff"/>.</summary>
    public static void Emit(ILGenerator il, RegisterCache regs, in DecodedOp op, CompiledForm form, bool flags, LocalBuilder eip0, int nextOff)
    {
        switch (form)
        {
            case CompiledForm.MovRR:
                if (op.R0 != op.R1)
                {
                    regs.Load(op.R1);
                    regs.Store(op.R0);
                }
                break;
            case CompiledForm.MovRI:
                BlockCompiler.Int(il, unchecked((int)op.Imm));
                regs.Store(op.R0);
                break;
            case CompiledForm.MovRM:
                Load(il, regs, in op, s_loadD);
                regs.Store(op.R0);
                break;
            case CompiledForm.MovzxRM8:
                Load(il, regs, in op, s_loadB);
                regs.Store(op.R0);
                break;
            case CompiledForm.MovzxRM16:
                Load(il, regs, in op, s_loadW);
                regs.Store(op.R0);
                break;
            case CompiledForm.MovMR:
            case CompiledForm.MovMI:
                il.Emit(OpCodes.Ldarg_1);
                BlockCompiler.Int(il, op.Seg);
                Ea(il, regs, in op);
                if (form == CompiledForm.MovMR)
                {
                    regs.Load(op.R1);
                }
                else
                {
                    BlockCompiler.Int(il, unchecked((int)op.Imm));
                }
                il.Emit(OpCodes.Call, s_storeD);
                break;
            case CompiledForm.AluRR:
            case CompiledForm.AluRI:
            case CompiledForm.AluRM:
                il.Emit(OpCodes.Ldarg_1);
                BlockCompiler.Int(il, (int)op.Cc);
                regs.LoadAddress(op.R0, write: op.Cc < Alu.Cmp);
                if (form == CompiledForm.AluRR)
                {
                    regs.Load(op.R1);
                }
                else if (form == CompiledForm.AluRI)
                {
                    BlockCompiler.Int(il, unchecked((int)op.Imm));
                }
                else
                {
                    Load(il, regs, in op, s_loadD);
                }
                Bool(il, flags);
                il.Emit(OpCodes.Call, s_alu);
                break;
            case CompiledForm.IncR:
            case CompiledForm.DecR:
                il.Emit(OpCodes.Ldarg_1);
                Bool(il, form == CompiledForm.IncR);
                regs.LoadAddress(op.R0, write: true);
                Bool(il, flags);
                il.Emit(OpCodes.Call, s_incDec);
                break;
            case CompiledForm.Lea:
                Ea(il, regs, in op);
                regs.Store(op.R0);
                break;
            case CompiledForm.ShiftRI:
                uint count = op.Imm & 0x1F;
                if (count == 0)
                {
                    break; // no result, no flags
                }
                il.Emit(OpCodes.Ldarg_1);
                BlockCompiler.Int(il, (int)op.Cc);
                regs.LoadAddress(op.R0, write: true);
                BlockCompiler.Int(il, (int)count);
                Bool(il, flags);
                il.Emit(OpCodes.Call, s_shift);
                break;
            case CompiledForm.ImulRR:
            case CompiledForm.ImulRRI:
            case CompiledForm.ImulRM:
                il.Emit(OpCodes.Ldarg_1);
                // The factors are pushed as values before the call writes the destination (imul eax, eax).
                regs.LoadAddress(op.R0, write: true);
                if (form == CompiledForm.ImulRRI)
                {
                    regs.Load(op.R1);
                    BlockCompiler.Int(il, unchecked((int)op.Imm));
                }
                else
                {
                    regs.Load(op.R0);
                    if (form == CompiledForm.ImulRR)
                    {
                        regs.Load(op.R1);
                    }
                    else
                    {
                        Load(il, regs, in op, s_loadD);
                    }
                }
                Bool(il, flags);
                il.Emit(OpCodes.Call, s_imul);
                break;
            case CompiledForm.PushR:
            case CompiledForm.PushI:
                il.Emit(OpCodes.Ldarg_1);
                regs.Load(Reg.Esp);
                if (form == CompiledForm.PushR)
                {
                    regs.Load(op.R0); // PUSH ESP pushes ESP as it was before the push
                }
                else
                {
                    BlockCompiler.Int(il, unchecked((int)op.Imm));
                }
                il.Emit(OpCodes.Call, s_push);
                regs.Store(Reg.Esp);
                break;
            case CompiledForm.PopR:
                // The value, then ESP + 4, then the destination: POP ESP leaves the value in ESP.
                il.Emit(OpCodes.Ldarg_1);
                regs.Load(Reg.Esp);
                il.Emit(OpCodes.Call, s_top);
                il.Emit(OpCodes.Ldarg_1);
                regs.Load(Reg.Esp);
                il.Emit(OpCodes.Call, s_espAfterPop);
                regs.Store(Reg.Esp);
                regs.Store(op.R0);
                break;
            case CompiledForm.CallRel:
                // The target is checked (#GP) before the return address is pushed, as the interpreter does.
                il.Emit(OpCodes.Ldarg_1);
                BlockCompiler.EipPlus(il, eip0, nextOff, op.Imm);
                il.Emit(OpCodes.Call, s_branch);
                il.Emit(OpCodes.Ldarg_1);
                regs.Load(Reg.Esp);
                BlockCompiler.EipPlus(il, eip0, nextOff);
                il.Emit(OpCodes.Call, s_push);
                regs.Store(Reg.Esp);
                break;
            case CompiledForm.Ret:
                // RET: the return address is read and checked against CS's limit before ESP moves.
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldarg_1);
                regs.Load(Reg.Esp);
                il.Emit(OpCodes.Call, s_top);
                il.Emit(OpCodes.Call, s_branch);
                il.Emit(OpCodes.Ldarg_1);
                regs.Load(Reg.Esp);
                il.Emit(OpCodes.Call, s_espAfterPop);
                regs.Store(Reg.Esp);
                break;
            default:
                throw new InvalidOperationException($"{form}: not a register-local form");
        }
    }

    /// <summary>Pushes the CPU, the segment and the effective address, then calls <paramref name="loader"/> (the loaded value stays on the IL stack).</summary>
    private static void Load(ILGenerator il, RegisterCache regs, in DecodedOp op, MethodInfo loader)
    {
        il.Emit(OpCodes.Ldarg_1);
        BlockCompiler.Int(il, op.Seg);
        Ea(il, regs, in op);
        il.Emit(OpCodes.Call, loader);
    }

    /// <summary>The 32-bit effective address: base + (index &lt;&lt; scale) + displacement, wrapping at 32 bits; an absent register costs nothing.</summary>
    private static void Ea(ILGenerator il, RegisterCache regs, in DecodedOp op)
    {
        bool any = false;
        if (op.Base != Reg.None)
        {
            regs.Load(op.Base);
            any = true;
        }
        if (op.Index != Reg.None)
        {
            regs.Load(op.Index);
            if (op.Scale != 0)
            {
                BlockCompiler.Int(il, (int)op.Scale);
                il.Emit(OpCodes.Shl);
            }
            if (any)
            {
                il.Emit(OpCodes.Add);
            }
            any = true;
        }
        if (!any)
        {
            BlockCompiler.Int(il, unchecked((int)op.Disp));
        }
        else if (op.Disp != 0)
        {
            BlockCompiler.Int(il, unchecked((int)op.Disp));
            il.Emit(OpCodes.Add);
        }
    }

    private static void Bool(ILGenerator il, bool v) => il.Emit(v ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
}
