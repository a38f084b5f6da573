using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Compiled forms of the arithmetic the interpreter runs through its group and generic paths:
/// the ALU group at any operand size and with a memory destination, INC/DEC/NEG/NOT, MUL/IMUL/
/// DIV/IDIV, three-operand IMUL and the shifts by CL or of memory. Each is the interpreter's own
/// helpers (<see cref="AluCompute"/>, <see cref="IncDec"/>, <see cref="Div"/>, <see cref="Shift"/>,
/// <see cref="RmwLin"/>) with the operands as constants; a read-modify-write of memory is one
/// call, not inlined, to keep .NET's JIT time per block down.
/// </summary>
public sealed partial class Cpu
{
    /// <summary>The <c>kind</c> of <see cref="CUnaryR"/> and <see cref="CUnaryM"/>.</summary>
    internal const int UnaryInc = 0, UnaryDec = 1, UnaryNeg = 2, UnaryNot = 3;

    /// <summary>The <c>kind</c> of <see cref="CMulDivR"/> and <see cref="CMulDivM"/>.</summary>
    internal const int MulDivMul = 0, MulDivImul = 1, MulDivDiv = 2, MulDivIdiv = 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CAluSizedRR(int a, int size, int d, int s)
    {
        uint v = AluCompute(a, GetReg(d, size), GetReg(s, size), size);
        if (a < Alu.Cmp)
        {
            SetReg(d, size, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CAluSizedRI(int a, int size, int d, uint imm)
    {
        uint v = AluCompute(a, GetReg(d, size), imm, size);
        if (a < Alu.Cmp)
        {
            SetReg(d, size, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CAluSizedRM(int a, int size, int d, int seg, int b, int x, int scale, uint disp)
    {
        uint s = Load(seg, EaFixed(b, x, scale, disp), size);
        uint v = AluCompute(a, GetReg(d, size), s, size);
        if (a < Alu.Cmp)
        {
            SetReg(d, size, v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CAluMR(int a, int size, int s, int seg, int b, int x, int scale, uint disp) =>
        AluMem(a, seg, EaFixed(b, x, scale, disp), GetReg(s, size), size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CAluMI(int a, int size, uint imm, int seg, int b, int x, int scale, uint disp) =>
        AluMem(a, seg, EaFixed(b, x, scale, disp), imm, size);

    /// <summary>ALU operation <paramref name="a"/> on memory: CMP and TEST only read it, the others check the write first (<see cref="RmwLin"/>), as <see cref="ExecAlu"/> does.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AluMem(int a, int seg, uint off, uint s, int size)
    {
        if (a >= Alu.Cmp)
        {
            AluCompute(a, ReadMem(seg, off, size), s, size);
            return;
        }
        uint lin = RmwLin(seg, off, size);
        WriteLin(lin, size, AluCompute(a, ReadLin(lin, size), s, size));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CUnaryR(int kind, int size, int d) => SetReg(d, size, Unary(kind, GetReg(d, size), size));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CUnaryM(int kind, int size, int seg, int b, int x, int scale, uint disp) =>
        UnaryMem(kind, seg, EaFixed(b, x, scale, disp), size);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void UnaryMem(int kind, int seg, uint off, int size)
    {
        uint lin = RmwLin(seg, off, size);
        WriteLin(lin, size, Unary(kind, ReadLin(lin, size), size));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Unary(int kind, uint d, int size) => kind switch
    {
        UnaryInc => IncDec(true, d, size),
        UnaryDec => IncDec(false, d, size),
        UnaryNeg => Neg(d, size),
        _ => Not(d, size),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMulDivR(int kind, int size, int s) => MulDiv(kind, GetReg(s, size), size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMulDivM(int kind, int size, int seg, int b, int x, int scale, uint disp) =>
        MulDiv(kind, Load(seg, EaFixed(b, x, scale, disp), size), size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MulDiv(int kind, uint s, int size)
    {
        switch (kind)
        {
            case MulDivMul: Mul(s, size); break;
            case MulDivImul: ImulWide(s, size); break;
            case MulDivDiv: Div(s, size); break;
            default: Idiv(s, size); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CImulRMI(int d, uint imm, int seg, int b, int x, int scale, uint disp) =>
        Gpr(d) = Imul32(LoadD(seg, EaFixed(b, x, scale, disp)), imm);

    /// <summary>SHL/SHR/SAR (<paramref name="kind"/> 4, 5, 7) of a register by CL: a zero count changes nothing, flags included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CShiftRC(int kind, int size, int d)
    {
        uint count = Gpr(Reg.Ecx) & 0x1F;
        if (count != 0)
        {
            SetReg(d, size, Shift(kind, GetReg(d, size), count, size));
        }
    }

    /// <summary>SHL/SHR/SAR of memory by <paramref name="count"/> (0-31), or by CL when it is -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CShiftM(int kind, int size, int count, int seg, int b, int x, int scale, uint disp) =>
        ShiftMem(kind, seg, EaFixed(b, x, scale, disp), count < 0 ? Gpr(Reg.Ecx) & 0x1F : (uint)count, size);

    /// <summary>As <see cref="ExecShift"/>: the write is checked even when the count is zero and nothing is written.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ShiftMem(int kind, int seg, uint off, uint count, int size)
    {
        uint lin = RmwLin(seg, off, size);
        uint d = ReadLin(lin, size);
        if (count != 0)
        {
            WriteLin(lin, size, Shift(kind, d, count, size));
        }
    }
}
