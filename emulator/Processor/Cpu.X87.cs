using Iced.Intel;
using Minix318Emu.Emulator.Fpu;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The x87 FPU: dispatch, the register stack with its overflow and underflow faults, and
/// exception reporting (#MF with CR0.NE, FERR#/IRQ 13 without). The arithmetic itself is in
/// <see cref="SoftFloat"/> and <see cref="Transcendental"/>; memory formats in Cpu.X87Memory.
/// </summary>
public sealed partial class Cpu
{

    /// <summary>The FERR# output: raised when an unmasked x87 exception is reported with CR0.NE clear (IRQ 13 on a PC).</summary>
    public Action<bool>? FerrChanged { get; set; }

    /// <summary>Whether an Iced mnemonic is an x87 instruction (what <see cref="Fpu"/> executes).</summary>
    public static bool IsX87Instruction(Mnemonic mn) => InstructionTable.IsX87(mn);

    private bool _fpuStackFault, _fpuStackOverflow;

    /// <summary>Deasserts FERR# (a write to port 0xF0 on a PC clears the FPU busy latch).</summary>
    public void ClearFerr()
    {
        if (Ferr)
        {
            Ferr = false;
            FerrChanged?.Invoke(false);
        }
    }

    private void ExecX87(ref DecodedOp op)
    {
        var mn = (Mnemonic)op.Mn;
        if ((Cr0 & (ControlRegs.Cr0EM | ControlRegs.Cr0TS)) != 0)
        {
            throw _fault.Set(ExceptionVectors.DeviceNotAvailable, -1);
        }
        bool control = IsX87Control(mn);
        if (!IsX87NonWaiting(mn) && Fpu.ErrorPending)
        {
            ReportFpuError();
        }
        if (!control)
        {
            Fpu.InstructionPointer = Eip;
            Fpu.InstructionSelector = Seg[SegReg.Cs].Selector;
            Fpu.Opcode = (ushort)op.Imm;
            if (op.K0 == (byte)Opnd.Mem || op.K1 == (byte)Opnd.Mem)
            {
                Fpu.OperandPointer = Ea(ref op);
                Fpu.OperandSelector = Seg[op.Seg].Selector;
            }
        }
        _fpuStackFault = false;
        var st = new FpStatus((Fpu.Control >> 10) & 3, FpStatus.PrecisionBits((Fpu.Control >> 8) & 3), Fpu.Control & 0x3F);
        if (ExecX87Arith(ref op, mn, ref st) || ExecX87Other(ref op, mn, ref st))
        {
            CommitFpu(ref st);
        }
    }

    /// <summary>Control instructions leave the last-instruction pointers alone (SDM 8.1.8).</summary>
    private static bool IsX87Control(Mnemonic mn) => mn is Mnemonic.Fninit or Mnemonic.Fnclex or Mnemonic.Fldcw
        or Mnemonic.Fnstcw or Mnemonic.Fnstsw or Mnemonic.Fnstenv or Mnemonic.Fldenv or Mnemonic.Fnsave
        or Mnemonic.Frstor or Mnemonic.Fxsave or Mnemonic.Fxrstor;

    /// <summary>Instructions that do not report a pending unmasked exception first.</summary>
    private static bool IsX87NonWaiting(Mnemonic mn) => mn is Mnemonic.Fninit or Mnemonic.Fnclex
        or Mnemonic.Fnstcw or Mnemonic.Fnstsw or Mnemonic.Fnstenv or Mnemonic.Fnsave
        or Mnemonic.Fxsave or Mnemonic.Fxrstor;

    /// <summary>A pending unmasked exception at a waiting instruction: #MF, or FERR# when CR0.NE is clear (the PC's IRQ 13 path).</summary>
    private void ReportFpuError()
    {
        if ((Cr0 & ControlRegs.Cr0NE) != 0)
        {
            throw _fault.Set(ExceptionVectors.FpuError, -1);
        }
        if (!Ferr)
        {
            Ferr = true;
            FerrChanged?.Invoke(true);
        }
    }

    /// <summary>WAIT/FWAIT: #NM when MP and TS are set, then any pending x87 exception is reported.</summary>
    private void ExecWait()
    {
        if ((Cr0 & (ControlRegs.Cr0MP | ControlRegs.Cr0TS)) == (ControlRegs.Cr0MP | ControlRegs.Cr0TS))
        {
            throw _fault.Set(ExceptionVectors.DeviceNotAvailable, -1);
        }
        if (Fpu.ErrorPending)
        {
            ReportFpuError();
        }
    }

    private void CommitFpu(ref FpStatus st)
    {
        int s = Fpu.Status | (st.Flags & 0x3F);
        bool c1 = _fpuStackFault ? _fpuStackOverflow : st.RoundedUp;
        if (_fpuStackFault)
        {
            s |= X87State.StatusSF;
        }
        s = c1 ? s | X87State.StatusC1 : s & ~X87State.StatusC1;
        Fpu.Status = (ushort)s;
        Fpu.UpdateSummary();
    }

    private void SetFpuConditions(bool c3, bool c2, bool c1, bool c0)
    {
        int s = Fpu.Status & ~X87State.ConditionMask;
        if (c3) s |= X87State.StatusC3;
        if (c2) s |= X87State.StatusC2;
        if (c1) s |= X87State.StatusC1;
        if (c0) s |= X87State.StatusC0;
        Fpu.Status = (ushort)s;
    }

    // ---- the register stack -------------------------------------------------------------

    /// <summary>Reads ST(i); an empty register is a stack underflow (IE, SF, C1=0) and reads as the indefinite.</summary>
    private bool ReadSt(int i, ref FpStatus st, out Float80 v)
    {
        if (Fpu.IsEmpty(i))
        {
            st.Flags |= FpStatus.Invalid;
            _fpuStackFault = true;
            _fpuStackOverflow = false;
            v = Float80.Indefinite;
            return false;
        }
        v = Fpu.St(i);
        return true;
    }

    private void WriteSt(int i, Float80 v)
    {
        Fpu.St(i) = v;
        Fpu.SetEmpty(i, false);
    }

    /// <summary>Whether a push would overflow (ST(7) in use); raises IE, SF and C1=1 if so.</summary>
    private bool PushOverflows(ref FpStatus st)
    {
        if (!Fpu.IsEmpty(7))
        {
            st.Flags |= FpStatus.Invalid;
            _fpuStackFault = true;
            _fpuStackOverflow = true;
            return true;
        }
        return false;
    }

    /// <summary>Pushes a loaded value; on overflow with IE masked the indefinite is pushed instead.</summary>
    private void PushValue(Float80 v, ref FpStatus st)
    {
        if (PushOverflows(ref st))
        {
            if (st.Unmasked(FpStatus.Invalid))
            {
                return;
            }
            v = Float80.Indefinite;
        }
        if (st.PreventsResult)
        {
            return;
        }
        Fpu.Top--;
        WriteSt(0, v);
    }

    private void PopSt()
    {
        Fpu.SetEmpty(0, true);
        Fpu.Top++;
    }

    // ---- arithmetic -----------------------------------------------------------------------

    private static Float80 Arith(Mnemonic mn, Float80 a, Float80 b, ref FpStatus st) => mn switch
    {
        Mnemonic.Fadd or Mnemonic.Faddp or Mnemonic.Fiadd => SoftFloat.Add(a, b, ref st),
        Mnemonic.Fmul or Mnemonic.Fmulp or Mnemonic.Fimul => SoftFloat.Mul(a, b, ref st),
        Mnemonic.Fsub or Mnemonic.Fsubp or Mnemonic.Fisub => SoftFloat.Sub(a, b, ref st),
        Mnemonic.Fsubr or Mnemonic.Fsubrp or Mnemonic.Fisubr => SoftFloat.Sub(b, a, ref st),
        Mnemonic.Fdiv or Mnemonic.Fdivp or Mnemonic.Fidiv => SoftFloat.Div(a, b, ref st),
        _ => SoftFloat.Div(b, a, ref st), // FDIVR, FDIVRP, FIDIVR
    };

    /// <summary>The six arithmetic operations in all their forms. Returns false for other mnemonics.</summary>
    private bool ExecX87Arith(ref DecodedOp op, Mnemonic mn, ref FpStatus st)
    {
        switch (mn)
        {
            case Mnemonic.Fadd:
            case Mnemonic.Fmul:
            case Mnemonic.Fsub:
            case Mnemonic.Fsubr:
            case Mnemonic.Fdiv:
            case Mnemonic.Fdivr:
            case Mnemonic.Fiadd:
            case Mnemonic.Fimul:
            case Mnemonic.Fisub:
            case Mnemonic.Fisubr:
            case Mnemonic.Fidiv:
            case Mnemonic.Fidivr:
            case Mnemonic.Faddp:
            case Mnemonic.Fmulp:
            case Mnemonic.Fsubp:
            case Mnemonic.Fsubrp:
            case Mnemonic.Fdivp:
            case Mnemonic.Fdivrp:
                break;
            default:
                return false;
        }
        int dst, src;
        Float80 a, b;
        bool ok;
        if (op.K0 == (byte)Opnd.Mem)
        {
            // ST(0) op memory (a real or an integer).
            Float80 m = LoadFpuOperand(ref op, ref st);
            ok = ReadSt(0, ref st, out a);
            b = m;
            dst = 0;
        }
        else
        {
            dst = op.R0;
            src = op.R1;
            ok = ReadSt(dst, ref st, out a) & ReadSt(src, ref st, out b);
        }
        Float80 r = ok ? Arith(mn, a, b, ref st) : Float80.Indefinite;
        if (st.PreventsResult)
        {
            return true;
        }
        WriteSt(dst, r);
        if (mn is Mnemonic.Faddp or Mnemonic.Fmulp or Mnemonic.Fsubp or Mnemonic.Fsubrp or Mnemonic.Fdivp or Mnemonic.Fdivrp)
        {
            PopSt();
        }
        return true;
    }

    private void SetCompareConditions(FpCompare c) =>
        SetFpuConditions(c is FpCompare.Equal or FpCompare.Unordered, c == FpCompare.Unordered, false, c is FpCompare.Less or FpCompare.Unordered);

    private void SetCompareEflags(FpCompare c)
    {
        uint f = c switch
        {
            FpCompare.Less => EFlags.CF,
            FpCompare.Equal => EFlags.ZF,
            FpCompare.Unordered => EFlags.ZF | EFlags.PF | EFlags.CF,
            _ => 0,
        };
        SetSomeStatusFlags(EFlags.OF | EFlags.SF | EFlags.ZF | EFlags.AF | EFlags.PF | EFlags.CF, f);
    }

    private bool FcmovCondition(Mnemonic mn) => mn switch
    {
        Mnemonic.Fcmovb => CF,
        Mnemonic.Fcmove => ZF,
        Mnemonic.Fcmovbe => CF || ZF,
        Mnemonic.Fcmovu => PF,
        Mnemonic.Fcmovnb => !CF,
        Mnemonic.Fcmovne => !ZF,
        Mnemonic.Fcmovnbe => !CF && !ZF,
        _ => !PF, // FCMOVNU
    };

    /// <summary>Everything but the six arithmetic operations. Returns true when the status word must be committed.</summary>
    private bool ExecX87Other(ref DecodedOp op, Mnemonic mn, ref FpStatus st)
    {
        Float80 a, b;
        switch (mn)
        {
            // ---- loads and stores
            case Mnemonic.Fld:
            {
                if (op.K0 == (byte)Opnd.Mem)
                {
                    a = LoadFpuOperand(ref op, ref st);
                }
                else
                {
                    ReadSt(op.R0, ref st, out a);
                }
                PushValue(a, ref st);
                return true;
            }
            case Mnemonic.Fild:
            case Mnemonic.Fbld:
                PushValue(LoadFpuOperand(ref op, ref st), ref st);
                return true;
            case Mnemonic.Fld1: PushValue(Float80.One, ref st); return true;
            case Mnemonic.Fldz: PushValue(Float80.Zero, ref st); return true;
            case Mnemonic.Fldpi: PushValue(SoftFloat.Constant(0xC90F_DAA2_2168_C234, 0xC4C6_628B_0000_0000, 0x4000, st.Rc), ref st); return true;
            case Mnemonic.Fldl2t: PushValue(SoftFloat.Constant(0xD49A_784B_CD1B_8AFE, 0x492B_F6FF_0000_0000, 0x4000, st.Rc), ref st); return true;
            case Mnemonic.Fldl2e: PushValue(SoftFloat.Constant(0xB8AA_3B29_5C17_F0BB, 0xBE87_FED0_0000_0000, 0x3FFF, st.Rc), ref st); return true;
            case Mnemonic.Fldlg2: PushValue(SoftFloat.Constant(0x9A20_9A84_FBCF_F798, 0x8F89_59AC_0000_0000, 0x3FFD, st.Rc), ref st); return true;
            case Mnemonic.Fldln2: PushValue(SoftFloat.Constant(0xB172_17F7_D1CF_79AB, 0xC9E3_B398_0000_0000, 0x3FFE, st.Rc), ref st); return true;
            case Mnemonic.Fst:
            case Mnemonic.Fstp:
            case Mnemonic.Fstpnce:
            {
                bool ok = ReadSt(0, ref st, out a);
                if (op.K0 == (byte)Opnd.Mem)
                {
                    if (!StoreFpuOperand(ref op, a, ok, ref st))
                    {
                        return true;
                    }
                }
                else
                {
                    if (st.PreventsResult)
                    {
                        return true;
                    }
                    WriteSt(op.R0, a);
                }
                if (mn != Mnemonic.Fst)
                {
                    PopSt();
                }
                return true;
            }
            case Mnemonic.Fist:
            case Mnemonic.Fistp:
            case Mnemonic.Fbstp:
            {
                bool ok = ReadSt(0, ref st, out a);
                if (StoreFpuOperand(ref op, a, ok, ref st) && mn != Mnemonic.Fist)
                {
                    PopSt();
                }
                return true;
            }

            // ---- compares
            case Mnemonic.Fcom:
            case Mnemonic.Fcomp:
            case Mnemonic.Fucom:
            case Mnemonic.Fucomp:
            case Mnemonic.Ficom:
            case Mnemonic.Ficomp:
            {
                bool ok = ReadSt(0, ref st, out a);
                if (op.K0 == (byte)Opnd.Mem || op.K1 == (byte)Opnd.Mem)
                {
                    b = LoadFpuOperand(ref op, ref st);
                }
                else
                {
                    ok &= ReadSt(op.R1, ref st, out b);
                }
                bool quiet = mn is Mnemonic.Fucom or Mnemonic.Fucomp;
                FpCompare c = ok ? SoftFloat.Compare(a, b, quiet, ref st) : FpCompare.Unordered;
                if (st.PreventsResult)
                {
                    return true;
                }
                SetCompareConditions(c);
                if (mn is Mnemonic.Fcomp or Mnemonic.Fucomp or Mnemonic.Ficomp)
                {
                    PopSt();
                }
                return true;
            }
            case Mnemonic.Fcompp:
            case Mnemonic.Fucompp:
            {
                bool ok = ReadSt(0, ref st, out a) & ReadSt(1, ref st, out b);
                FpCompare c = ok ? SoftFloat.Compare(a, b, mn == Mnemonic.Fucompp, ref st) : FpCompare.Unordered;
                if (st.PreventsResult)
                {
                    return true;
                }
                SetCompareConditions(c);
                PopSt();
                PopSt();
                return true;
            }
            case Mnemonic.Fcomi:
            case Mnemonic.Fcomip:
            case Mnemonic.Fucomi:
            case Mnemonic.Fucomip:
            {
                bool ok = ReadSt(0, ref st, out a) & ReadSt(op.R1, ref st, out b);
                bool quiet = mn is Mnemonic.Fucomi or Mnemonic.Fucomip;
                FpCompare c = ok ? SoftFloat.Compare(a, b, quiet, ref st) : FpCompare.Unordered;
                if (st.PreventsResult)
                {
                    return true;
                }
                SetCompareEflags(c);
                if (mn is Mnemonic.Fcomip or Mnemonic.Fucomip)
                {
                    PopSt();
                }
                return true;
            }
            case Mnemonic.Ftst:
            {
                bool ok = ReadSt(0, ref st, out a);
                FpCompare c = ok ? SoftFloat.Compare(a, Float80.Zero, false, ref st) : FpCompare.Unordered;
                if (!st.PreventsResult)
                {
                    SetCompareConditions(c);
                }
                return true;
            }
            case Mnemonic.Fxam:
                ExecFxam();
                return false;
            case Mnemonic.Fcmovb:
            case Mnemonic.Fcmove:
            case Mnemonic.Fcmovbe:
            case Mnemonic.Fcmovu:
            case Mnemonic.Fcmovnb:
            case Mnemonic.Fcmovne:
            case Mnemonic.Fcmovnbe:
            case Mnemonic.Fcmovnu:
            {
                bool ok = ReadSt(0, ref st, out _) & ReadSt(op.R1, ref st, out b);
                if (!ok)
                {
                    if (!st.PreventsResult)
                    {
                        WriteSt(0, Float80.Indefinite);
                    }
                    return true;
                }
                if (FcmovCondition(mn))
                {
                    WriteSt(0, b);
                }
                return true;
            }

            // ---- stack management
            case Mnemonic.Fxch:
            {
                int i = op.R1;
                bool ok = ReadSt(0, ref st, out a) & ReadSt(i, ref st, out b);
                if (!ok && st.PreventsResult)
                {
                    return true;
                }
                WriteSt(0, b);
                WriteSt(i, a);
                return true;
            }
            case Mnemonic.Fincstp: Fpu.Top++; return true;
            case Mnemonic.Fdecstp: Fpu.Top--; return true;
            case Mnemonic.Ffree: Fpu.SetEmpty(op.R0, true); return false;
            case Mnemonic.Ffreep: Fpu.SetEmpty(op.R0, true); PopSt(); return false;
            case Mnemonic.Fnop:
            case Mnemonic.Fneni:
            case Mnemonic.Fndisi:
            case Mnemonic.Fnsetpm:
                return false; // the 8087/287 mode instructions are no-ops on the 387 and later

            // ---- one-operand functions on ST(0)
            case Mnemonic.Fchs:
            case Mnemonic.Fabs:
            {
                bool ok = ReadSt(0, ref st, out a);
                if (!ok && st.PreventsResult)
                {
                    return true;
                }
                WriteSt(0, !ok ? a : mn == Mnemonic.Fchs ? a.Negate() : a.Abs());
                return true;
            }
            case Mnemonic.Fsqrt: UnaryOnSt0(ref st, static (Float80 x, ref FpStatus s) => SoftFloat.Sqrt(x, ref s)); return true;
            case Mnemonic.Frndint: UnaryOnSt0(ref st, static (Float80 x, ref FpStatus s) => SoftFloat.RoundToIntegral(x, ref s)); return true;
            case Mnemonic.F2xm1: UnaryOnSt0(ref st, static (Float80 x, ref FpStatus s) => Transcendental.Exp2M1(x, ref s)); return true;
            case Mnemonic.Fsin:
            case Mnemonic.Fcos:
            {
                if (ReadSt(0, ref st, out a) && Transcendental.OutOfRange(a))
                {
                    SetFpuConditions((Fpu.Status & X87State.StatusC3) != 0, true, false, (Fpu.Status & X87State.StatusC0) != 0);
                    return false;
                }
                Fpu.Status &= unchecked((ushort)~X87State.StatusC2);
                if (mn == Mnemonic.Fsin)
                {
                    UnaryOnSt0(ref st, static (Float80 x, ref FpStatus s) => Transcendental.Sin(x, ref s));
                }
                else
                {
                    UnaryOnSt0(ref st, static (Float80 x, ref FpStatus s) => Transcendental.Cos(x, ref s));
                }
                return true;
            }
            case Mnemonic.Fptan:
            case Mnemonic.Fsincos:
                return ExecPushingFunction(mn, ref st);
            case Mnemonic.Fxtract:
                return ExecFxtract(ref st);

            // ---- two-operand functions on ST(0) and ST(1)
            case Mnemonic.Fscale:
            {
                bool ok = ReadSt(0, ref st, out a) & ReadSt(1, ref st, out b);
                Float80 r = ok ? SoftFloat.Scale(a, b, ref st) : Float80.Indefinite;
                if (!st.PreventsResult)
                {
                    WriteSt(0, r);
                }
                return true;
            }
            case Mnemonic.Fprem:
            case Mnemonic.Fprem1:
            {
                bool ok = ReadSt(0, ref st, out a) & ReadSt(1, ref st, out b);
                int q = 0;
                bool partial = false;
                Float80 r = ok ? SoftFloat.Remainder(a, b, mn == Mnemonic.Fprem1, ref st, out q, out partial) : Float80.Indefinite;
                if (st.PreventsResult)
                {
                    return true;
                }
                WriteSt(0, r);
                CommitFpu(ref st);
                SetFpuConditions((q & 2) != 0, partial, (q & 1) != 0, (q & 4) != 0);
                return false;
            }
            case Mnemonic.Fyl2x:
            case Mnemonic.Fyl2xp1:
            case Mnemonic.Fpatan:
            {
                bool ok = ReadSt(0, ref st, out a) & ReadSt(1, ref st, out b);
                Float80 r = !ok ? Float80.Indefinite
                    : mn == Mnemonic.Fyl2x ? Transcendental.YLog2X(a, b, ref st)
                    : mn == Mnemonic.Fyl2xp1 ? Transcendental.YLog2XP1(a, b, ref st)
                    : Transcendental.Atan2(b, a, ref st);
                if (st.PreventsResult)
                {
                    return true;
                }
                WriteSt(1, r);
                PopSt();
                return true;
            }

            // ---- control
            case Mnemonic.Fninit:
                Fpu.Init();
                return false;
            case Mnemonic.Fnclex:
                Fpu.Status &= 0x7F00; // exception flags, SF, ES and B
                return false;
            case Mnemonic.Fldcw:
                Fpu.Control = Read16(op.Seg, Ea(ref op));
                Fpu.UpdateSummary();
                return false;
            case Mnemonic.Fnstcw:
                Write16(op.Seg, Ea(ref op), Fpu.Control);
                return false;
            case Mnemonic.Fnstsw:
                if (op.K0 == (byte)Opnd.Reg)
                {
                    SetReg(Reg.Eax, 2, Fpu.Status);
                }
                else
                {
                    Write16(op.Seg, Ea(ref op), Fpu.Status);
                }
                return false;
            case Mnemonic.Fnstenv: StoreFpuEnvironment(ref op); Fpu.Control |= 0x3F; return false;
            case Mnemonic.Fldenv: LoadFpuEnvironment(ref op); return false;
            case Mnemonic.Fnsave: StoreFpuState(ref op); Fpu.Init(); return false;
            case Mnemonic.Frstor: LoadFpuState(ref op); return false;
            case Mnemonic.Fxsave: ExecFxsave(ref op); return false;
            case Mnemonic.Fxrstor: ExecFxrstor(ref op); return false;
            default:
                // FISTTP is SSE3 and FRSTPM the 287XL's; neither exists on this CPU.
                throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
        }
    }

    private delegate Float80 UnaryFunction(Float80 x, ref FpStatus st);

    private void UnaryOnSt0(ref FpStatus st, UnaryFunction f)
    {
        bool ok = ReadSt(0, ref st, out Float80 a);
        Float80 r = ok ? f(a, ref st) : Float80.Indefinite;
        if (!st.PreventsResult)
        {
            WriteSt(0, r);
        }
    }

    /// <summary>FPTAN (pushes 1.0 after tan) and FSINCOS (pushes the cosine after the sine).</summary>
    private bool ExecPushingFunction(Mnemonic mn, ref FpStatus st)
    {
        bool ok = ReadSt(0, ref st, out Float80 a);
        if (ok && Transcendental.OutOfRange(a))
        {
            SetFpuConditions((Fpu.Status & X87State.StatusC3) != 0, true, false, (Fpu.Status & X87State.StatusC0) != 0);
            return false;
        }
        Fpu.Status &= unchecked((ushort)~X87State.StatusC2);
        bool overflow = PushOverflows(ref st);
        Float80 first = Float80.Indefinite, second = Float80.Indefinite;
        if (ok && !overflow)
        {
            if (mn == Mnemonic.Fptan)
            {
                first = Transcendental.Tan(a, ref st);
                second = first.IsNaN ? first : Float80.One;
            }
            else
            {
                var cosStatus = st;
                first = Transcendental.Sin(a, ref st);
                second = Transcendental.Cos(a, ref cosStatus);
                st.Flags |= cosStatus.Flags;
            }
        }
        if (st.PreventsResult)
        {
            return true;
        }
        WriteSt(0, first);
        Fpu.Top--;
        WriteSt(0, second);
        return true;
    }

    private bool ExecFxtract(ref FpStatus st)
    {
        bool ok = ReadSt(0, ref st, out Float80 a);
        bool overflow = PushOverflows(ref st);
        Float80 exponent = Float80.Indefinite, significand = Float80.Indefinite;
        if (ok && !overflow)
        {
            exponent = SoftFloat.Extract(a, ref st, out significand);
        }
        if (st.PreventsResult)
        {
            return true;
        }
        WriteSt(0, exponent);
        Fpu.Top--;
        WriteSt(0, significand);
        return true;
    }

    /// <summary>FXAM: C3 C2 C0 classify ST(0), C1 is its sign; never raises anything.</summary>
    private void ExecFxam()
    {
        Float80 v = Fpu.St(0);
        bool sign = v.Sign;
        if (Fpu.IsEmpty(0))
        {
            SetFpuConditions(true, false, sign, true);
        }
        else if (v.IsUnsupported)
        {
            SetFpuConditions(false, false, sign, false);
        }
        else if (v.IsNaN)
        {
            SetFpuConditions(false, false, sign, true);
        }
        else if (v.IsInfinity)
        {
            SetFpuConditions(false, true, sign, true);
        }
        else if (v.IsZero)
        {
            SetFpuConditions(true, false, sign, false);
        }
        else if (v.IsDenormal)
        {
            SetFpuConditions(true, true, sign, false);
        }
        else
        {
            SetFpuConditions(false, true, sign, false);
        }
    }
}
