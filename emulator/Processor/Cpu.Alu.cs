using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Integer arithmetic: the group-1 ALU, INC/DEC/NEG/NOT, multiply, divide and the BCD adjusts (Intel SDM Vol. 2).</summary>
public sealed partial class Cpu
{
    /// <summary>Computes ALU operation <paramref name="a"/> (see <see cref="Alu"/>) and records the flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint AluCompute(int a, uint d, uint s, int size)
    {
        uint m = SizeMask(size);
        s &= m;
        uint r;
        switch (a)
        {
            case Alu.Add:
                r = (d + s) & m;
                SetLazy(LazyOp.Add, r, d, s, size);
                return r;
            case Alu.Or:
                r = d | s;
                SetLazy(LazyOp.Logic, r, d, s, size);
                return r;
            case Alu.Adc:
            {
                bool c = CF;
                r = (d + s + (c ? 1u : 0u)) & m;
                LazyCarry = c;
                SetLazy(LazyOp.Adc, r, d, s, size);
                return r;
            }
            case Alu.Sbb:
            {
                bool c = CF;
                r = (d - s - (c ? 1u : 0u)) & m;
                LazyCarry = c;
                SetLazy(LazyOp.Sbb, r, d, s, size);
                return r;
            }
            case Alu.And:
            case Alu.Test:
                r = d & s;
                SetLazy(LazyOp.Logic, r, d, s, size);
                return r;
            case Alu.Xor:
                r = d ^ s;
                SetLazy(LazyOp.Logic, r, d, s, size);
                return r;
            default: // Sub, Cmp
                r = (d - s) & m;
                SetLazy(LazyOp.Sub, r, d, s, size);
                return r;
        }
    }

    private void ExecAlu(ref DecodedOp op)
    {
        uint s = ReadSrc(ref op);
        int a = op.Cc;
        if (a is Alu.Cmp or Alu.Test)
        {
            AluCompute(a, ReadDst(ref op), s, op.Size);
            return;
        }
        uint d = RmwRead(ref op, out uint lin);
        RmwWrite(ref op, lin, AluCompute(a, d, s, op.Size));
    }

    // Not inlined into ExecuteGeneric: there the inlining budget is spent, and the flag getter
    // it needs (CF) would become a call (+0.5 % host instructions on bench.elf under cachegrind).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ExecIncDec(ref DecodedOp op, bool inc)
    {
        uint d = RmwRead(ref op, out uint lin);
        RmwWrite(ref op, lin, IncDec(inc, d, op.Size));
    }

    /// <summary>INC or DEC of <paramref name="d"/> at <paramref name="size"/> bytes, recording the flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint IncDec(bool inc, uint d, int size)
    {
        uint r = (inc ? d + 1 : d - 1) & SizeMask(size);
        RecordIncDec(inc ? LazyOp.Inc : LazyOp.Dec, r, d, size);
        return r;
    }

    /// <summary>
    /// The flags of INC or DEC from <paramref name="d"/> to <paramref name="r"/>, recorded
    /// lazily; CF keeps its value (SDM vol. 2A, INC and DEC). The generic form and the register
    /// fast paths (<see cref="OpForm.IncR"/>, <see cref="OpForm.DecR"/>) both record them here.
    /// Kept this small on purpose: the fast paths inline it into the dispatch switch, whose
    /// inlining budget is nearly spent (a helper that also computed the result pushed the
    /// flag getters of Jcc out of line).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RecordIncDec(LazyOp op, uint r, uint d, int size)
    {
        LazyCarry = CF;
        SetLazy(op, r, d, 1, size);
    }

    private void ExecNeg(ref DecodedOp op)
    {
        uint d = RmwRead(ref op, out uint lin);
        RmwWrite(ref op, lin, Neg(d, op.Size));
    }

    /// <summary>NEG: 0 - <paramref name="d"/>, with the flags of that subtraction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Neg(uint d, int size)
    {
        uint r = (0 - d) & SizeMask(size);
        SetLazy(LazyOp.Sub, r, 0, d, size);
        return r;
    }

    private void ExecNot(ref DecodedOp op)
    {
        uint d = RmwRead(ref op, out uint lin);
        RmwWrite(ref op, lin, Not(d, op.Size));
    }

    /// <summary>NOT: no flags change.</summary>
    internal static uint Not(uint d, int size) => ~d & SizeMask(size);

    /// <summary>The two-operand 32-bit IMUL: the truncated product, CF/OF when it did not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Imul32(uint a, uint b)
    {
        long p = (long)(int)a * (int)b;
        SetMulFlags(p != (int)p, (uint)p, 4);
        return (uint)p;
    }

    /// <summary>Flags after a multiply: CF = OF = <paramref name="overflow"/>; SF, ZF, PF from the low result (undefined in the SDM), AF clear.</summary>
    private void SetMulFlags(bool overflow, uint low, int size)
    {
        uint f = 0;
        if (overflow) f |= EFlags.CF | EFlags.OF;
        if ((low & SizeMask(size)) == 0) f |= EFlags.ZF;
        if ((low & SignBit(size)) != 0) f |= EFlags.SF;
        if (s_parity[low & 0xFF] != 0) f |= EFlags.PF;
        SetStatusFlags(f);
    }

    private void ExecMul(ref DecodedOp op) => Mul(ReadDst(ref op), op.Size); // the single explicit operand

    /// <summary>MUL: AX, DX:AX or EDX:EAX = the accumulator times <paramref name="s"/>, unsigned.</summary>
    internal void Mul(uint s, int size)
    {
        switch (size)
        {
            case 1:
            {
                uint r = (R[Reg.Eax] & 0xFF) * s;
                SetReg(Reg.Eax, 2, r);
                SetMulFlags((r & 0xFF00) != 0, r, 1);
                break;
            }
            case 2:
            {
                uint r = (R[Reg.Eax] & 0xFFFF) * s;
                SetReg(Reg.Eax, 2, r);
                SetReg(Reg.Edx, 2, r >> 16);
                SetMulFlags((r >> 16) != 0, r, 2);
                break;
            }
            default:
            {
                ulong r = (ulong)R[Reg.Eax] * s;
                R[Reg.Eax] = (uint)r;
                R[Reg.Edx] = (uint)(r >> 32);
                SetMulFlags((r >> 32) != 0, (uint)r, 4);
                break;
            }
        }
    }

    private void ExecImul(ref DecodedOp op)
    {
        if (op.K1 == (byte)Opnd.None)
        {
            ImulWide(ReadDst(ref op), op.Size);
            return;
        }
        // Two or three operands: dest = src1 * src2, truncated.
        long a, b;
        if (op.K2 == (byte)Opnd.Imm)
        {
            a = (int)SignExtend(ReadSrc(ref op), op.Size);
            b = (int)SignExtend(op.Imm, op.Size);
        }
        else
        {
            a = (int)SignExtend(GetReg(op.R0, op.Size), op.Size);
            b = (int)SignExtend(ReadSrc(ref op), op.Size);
        }
        long p = a * b;
        uint low = (uint)p & SizeMask(op.Size);
        bool overflow = op.Size == 2 ? p != (short)p : p != (int)p;
        SetReg(op.R0, op.Size, low);
        SetMulFlags(overflow, low, op.Size);
    }

    /// <summary>One-operand IMUL: AX, DX:AX or EDX:EAX = the accumulator times <paramref name="src"/>, signed.</summary>
    internal void ImulWide(uint src, int size)
    {
        int s = (int)SignExtend(src, size);
        switch (size)
        {
            case 1:
            {
                int r = (sbyte)R[Reg.Eax] * s;
                SetReg(Reg.Eax, 2, (uint)r);
                SetMulFlags(r != (sbyte)r, (uint)r, 1);
                break;
            }
            case 2:
            {
                int r = (short)R[Reg.Eax] * s;
                SetReg(Reg.Eax, 2, (uint)r);
                SetReg(Reg.Edx, 2, (uint)r >> 16);
                SetMulFlags(r != (short)r, (uint)r, 2);
                break;
            }
            default:
            {
                long r = (long)(int)R[Reg.Eax] * s;
                R[Reg.Eax] = (uint)r;
                R[Reg.Edx] = (uint)((ulong)r >> 32);
                SetMulFlags(r != (int)r, (uint)r, 4);
                break;
            }
        }
    }

    private void ExecDiv(ref DecodedOp op) => Div(ReadDst(ref op), op.Size);

    /// <summary>DIV of the accumulator by <paramref name="s"/>, unsigned; #DE for a zero divisor or a quotient that does not fit.</summary>
    internal void Div(uint s, int size)
    {
        if (s == 0)
        {
            throw _fault.Set(ExceptionVectors.DivideError, -1);
        }
        switch (size)
        {
            case 1:
            {
                uint n = R[Reg.Eax] & 0xFFFF;
                uint q = n / s;
                if (q > 0xFF) throw _fault.Set(ExceptionVectors.DivideError, -1);
                SetReg(Reg.Eax, 2, ((n % s) << 8) | q);
                break;
            }
            case 2:
            {
                uint n = ((R[Reg.Edx] & 0xFFFF) << 16) | (R[Reg.Eax] & 0xFFFF);
                uint q = n / s;
                if (q > 0xFFFF) throw _fault.Set(ExceptionVectors.DivideError, -1);
                SetReg(Reg.Eax, 2, q);
                SetReg(Reg.Edx, 2, n % s);
                break;
            }
            default:
            {
                ulong n = ((ulong)R[Reg.Edx] << 32) | R[Reg.Eax];
                ulong q = n / s;
                if (q > 0xFFFF_FFFF) throw _fault.Set(ExceptionVectors.DivideError, -1);
                R[Reg.Eax] = (uint)q;
                R[Reg.Edx] = (uint)(n % s);
                break;
            }
        }
    }

    private void ExecIdiv(ref DecodedOp op) => Idiv(ReadDst(ref op), op.Size);

    /// <summary>IDIV of the accumulator by <paramref name="src"/>, signed; #DE for a zero divisor or a quotient that does not fit.</summary>
    internal void Idiv(uint src, int size)
    {
        long s = (int)SignExtend(src, size);
        if (s == 0)
        {
            throw _fault.Set(ExceptionVectors.DivideError, -1);
        }
        switch (size)
        {
            case 1:
            {
                long n = (short)R[Reg.Eax];
                long q = n / s, r = n % s;
                if (q is > sbyte.MaxValue or < sbyte.MinValue) throw _fault.Set(ExceptionVectors.DivideError, -1);
                SetReg(Reg.Eax, 2, (((uint)r & 0xFF) << 8) | ((uint)q & 0xFF));
                break;
            }
            case 2:
            {
                long n = (int)(((R[Reg.Edx] & 0xFFFF) << 16) | (R[Reg.Eax] & 0xFFFF));
                long q = n / s, r = n % s;
                if (q is > short.MaxValue or < short.MinValue) throw _fault.Set(ExceptionVectors.DivideError, -1);
                SetReg(Reg.Eax, 2, (uint)q);
                SetReg(Reg.Edx, 2, (uint)r);
                break;
            }
            default:
            {
                long n = (long)(((ulong)R[Reg.Edx] << 32) | R[Reg.Eax]);
                if (n == long.MinValue && s == -1)
                {
                    throw _fault.Set(ExceptionVectors.DivideError, -1);
                }
                long q = n / s, r = n % s;
                if (q is > int.MaxValue or < int.MinValue) throw _fault.Set(ExceptionVectors.DivideError, -1);
                R[Reg.Eax] = (uint)q;
                R[Reg.Edx] = (uint)r;
                break;
            }
        }
    }

    /// <summary>SF, ZF and PF of an 8-bit result, plus the given CF/AF/OF bits.</summary>
    private void SetFlags8(uint result, uint otherFlags)
    {
        uint f = otherFlags;
        result &= 0xFF;
        if (result == 0) f |= EFlags.ZF;
        if ((result & 0x80) != 0) f |= EFlags.SF;
        if (s_parity[result] != 0) f |= EFlags.PF;
        SetStatusFlags(f);
    }

    private void ExecDaa()
    {
        uint al = R[Reg.Eax] & 0xFF, oldAl = al;
        bool oldCf = CF, cf = false, af = false;
        if ((al & 0xF) > 9 || AF)
        {
            cf = oldCf || al + 6 > 0xFF;
            al = (al + 6) & 0xFF;
            af = true;
        }
        if (oldAl > 0x99 || oldCf)
        {
            al = (al + 0x60) & 0xFF;
            cf = true;
        }
        SetReg(Reg.Eax, 1, al);
        SetFlags8(al, (cf ? EFlags.CF : 0) | (af ? EFlags.AF : 0));
    }

    private void ExecDas()
    {
        uint al = R[Reg.Eax] & 0xFF, oldAl = al;
        bool oldCf = CF, cf = false, af = false;
        if ((al & 0xF) > 9 || AF)
        {
            cf = oldCf || al < 6;
            al = (al - 6) & 0xFF;
            af = true;
        }
        if (oldAl > 0x99 || oldCf)
        {
            al = (al - 0x60) & 0xFF;
            cf = true;
        }
        SetReg(Reg.Eax, 1, al);
        SetFlags8(al, (cf ? EFlags.CF : 0) | (af ? EFlags.AF : 0));
    }

    private void ExecAaaAas(bool add)
    {
        uint ax = R[Reg.Eax] & 0xFFFF;
        bool adjust = (ax & 0xF) > 9 || AF;
        if (adjust)
        {
            ax = (add ? ax + 0x106 : ax - 0x106) & 0xFFFF; // SDM: AX ± 6 (the carry or borrow reaches AH), then AH ± 1
        }
        ax = (ax & 0xFF00) | (ax & 0x0F);
        SetReg(Reg.Eax, 2, ax);
        SetFlags8(ax & 0xFF, adjust ? EFlags.CF | EFlags.AF : 0);
    }

    private void ExecAam(uint imm)
    {
        imm &= 0xFF;
        if (imm == 0)
        {
            throw _fault.Set(ExceptionVectors.DivideError, -1);
        }
        uint al = R[Reg.Eax] & 0xFF;
        SetReg(Reg.Eax, 2, ((al / imm) << 8) | (al % imm));
        SetFlags8(al % imm, 0);
    }

    private void ExecAad(uint imm)
    {
        uint ax = R[Reg.Eax];
        uint al = ((ax & 0xFF) + ((ax >> 8) & 0xFF) * (imm & 0xFF)) & 0xFF;
        SetReg(Reg.Eax, 2, al);
        SetFlags8(al, 0);
    }
}
