using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Compiled forms of the data movement the interpreter runs through its generic path: MOV at
/// 8 and 16 bits, MOVSX/MOVZX of any sizes, XCHG, CWDE/CDQ and PUSH r/m32, with the operands
/// as constants and the interpreter's own register and memory helpers.
/// </summary>
public sealed partial class Cpu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovSizedRR(int size, int d, int s) => SetReg(d, size, GetReg(s, size));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovSizedRI(int size, int d, uint imm) => SetReg(d, size, imm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovSizedRM(int size, int d, int seg, int b, int x, int scale, uint disp) =>
        SetReg(d, size, Load(seg, EaFixed(b, x, scale, disp), size));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovSizedMR(int size, int s, int seg, int b, int x, int scale, uint disp) =>
        Store(seg, EaFixed(b, x, scale, disp), size, GetReg(s, size));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovSizedMI(int size, uint imm, int seg, int b, int x, int scale, uint disp) =>
        Store(seg, EaFixed(b, x, scale, disp), size, imm);

    /// <summary>MOVSX (<paramref name="signed"/> 1) or MOVZX (0) from a register of <paramref name="srcSize"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CExtendRR(int signed, int size, int srcSize, int d, int s)
    {
        uint v = GetReg(s, srcSize);
        SetReg(d, size, signed != 0 ? SignExtend(v, srcSize) : v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CExtendRM(int signed, int size, int srcSize, int d, int seg, int b, int x, int scale, uint disp)
    {
        uint v = Load(seg, EaFixed(b, x, scale, disp), srcSize);
        SetReg(d, size, signed != 0 ? SignExtend(v, srcSize) : v);
    }

    /// <summary>XCHG of two registers, in <see cref="ExecXchg"/>'s order (the same register twice is left as it was).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CXchgRR(int size, int a, int s)
    {
        uint d = GetReg(a, size);
        uint v = GetReg(s, size);
        SetReg(a, size, v);
        SetReg(s, size, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CXchgMR(int size, int s, int seg, int b, int x, int scale, uint disp) =>
        XchgMem(s, seg, EaFixed(b, x, scale, disp), size);

    /// <summary>XCHG of memory with register <paramref name="s"/>: the write is checked before the read, as <see cref="ExecXchg"/> does.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void XchgMem(int s, int seg, uint off, int size)
    {
        uint lin = RmwLin(seg, off, size);
        uint d = ReadLin(lin, size);
        WriteLin(lin, size, GetReg(s, size));
        SetReg(s, size, d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CCwde() => Cwde();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CCdq() => Cdq();

    /// <summary>PUSH m32: the operand is read (its address from ESP before the push) before anything is pushed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CPushM(int seg, int b, int x, int scale, uint disp) => Push32(LoadD(seg, EaFixed(b, x, scale, disp)));
}
