using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The instruction forms as the compiled tier calls them: one method per specialised
/// <see cref="OpForm"/>, taking the decoded operands as arguments. The block compiler
/// (<see cref="Compiler.BlockCompiler"/>) emits a call with constant arguments for each
/// instruction, and .NET's JIT inlines the method and folds the constants, so that a compiled
/// <c>add eax, [ebx+8]</c> is the memory read and the add for exactly those registers, with no
/// dispatch and no operand decoding left. The semantics are the interpreter's own helpers
/// (<see cref="AluCompute"/>, <see cref="ReadLin32"/>, <see cref="Push"/>, the lazy flags), so
/// the two tiers differ only in how operands reach them. The forms the interpreter has no
/// specialised path for are in Cpu.Compiled.Alu.cs, .Bits.cs, .Move.cs and .Flow.cs.
/// </summary>
public sealed partial class Cpu
{
    /// <summary>A 32-bit effective address with the registers fixed: an absent base or index costs nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint EaFixed(int b, int x, int scale, uint disp)
    {
        ref uint r = ref MemoryMarshal.GetArrayDataReference(R);
        uint ea = disp;
        if (b != Reg.None)
        {
            ea += Unsafe.Add(ref r, b);
        }
        if (x != Reg.None)
        {
            ea += Unsafe.Add(ref r, x) << scale;
        }
        return ea;
    }

    // The memory and stack accesses are calls, not inlined: inlined into every compiled instruction
    // they made .NET's JIT take ~2 ms per block (measured on the MINIX boot), for little gain.

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint LoadD(int seg, uint off) => ReadLin32(LinRead(seg, off, 4));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint LoadW(int seg, uint off) => ReadLin16(LinRead(seg, off, 2));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint LoadB(int seg, uint off) => ReadLin8(LinRead(seg, off, 1));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void StoreD(int seg, uint off, uint v) => WriteLin32(LinWrite(seg, off, 4), v);

    /// <summary>A read of any operand size (the forms of Cpu.Compiled.*.cs that take the size as a constant).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint Load(int seg, uint off, int size) => ReadMem(seg, off, size);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Store(int seg, uint off, int size, uint v) => WriteMem(seg, off, size, v);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Push32(uint v) => Push(v, 4);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint Pop32() => Pop(4);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RetNear32()
    {
        SetNearTarget(PeekStack(0, 4), 4);
        AdjustEsp(4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref uint Gpr(int n) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(R), n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovRR(int d, int s) => Gpr(d) = Gpr(s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovRI(int d, uint imm) => Gpr(d) = imm;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovRM(int d, int seg, int b, int x, int scale, uint disp) =>
        Gpr(d) = LoadD(seg, EaFixed(b, x, scale, disp));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovMR(int s, int seg, int b, int x, int scale, uint disp) =>
        StoreD(seg, EaFixed(b, x, scale, disp), Gpr(s));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovMI(uint imm, int seg, int b, int x, int scale, uint disp) =>
        StoreD(seg, EaFixed(b, x, scale, disp), imm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CAluRR(int a, int d, int s)
    {
        uint v = AluCompute(a, Gpr(d), Gpr(s), 4);
        if (a < Alu.Cmp)
        {
            Gpr(d) = v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CAluRI(int a, int d, uint imm)
    {
        uint v = AluCompute(a, Gpr(d), imm, 4);
        if (a < Alu.Cmp)
        {
            Gpr(d) = v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CAluRM(int a, int d, int seg, int b, int x, int scale, uint disp)
    {
        uint s = LoadD(seg, EaFixed(b, x, scale, disp));
        uint v = AluCompute(a, Gpr(d), s, 4);
        if (a < Alu.Cmp)
        {
            Gpr(d) = v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CIncR(int d)
    {
        uint v = Gpr(d);
        Gpr(d) = v + 1;
        RecordIncDec(LazyOp.Inc, v + 1, v, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CDecR(int d)
    {
        uint v = Gpr(d);
        Gpr(d) = v - 1;
        RecordIncDec(LazyOp.Dec, v - 1, v, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CPushR(int s) => Push32(Gpr(s));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CPushI(uint imm) => Push32(imm);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CPopR(int d)
    {
        uint v = Pop32();
        Gpr(d) = v;
    }

    /// <summary>Jcc rel32; the caller has set the fall-through EIP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CJcc(int cc, uint target)
    {
        if (Cond(cc))
        {
            SetNearTarget(target, 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CJmpRel(uint target) => SetNearTarget(target, 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CCallRel(uint target, uint ret)
    {
        SetNearTarget(target, 4);
        Push32(ret);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CRet()
    {
        RetNear32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CLea(int d, int b, int x, int scale, uint disp) => Gpr(d) = EaFixed(b, x, scale, disp);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovzxRM8(int d, int seg, int b, int x, int scale, uint disp) =>
        Gpr(d) = LoadB(seg, EaFixed(b, x, scale, disp));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovzxRM16(int d, int seg, int b, int x, int scale, uint disp) =>
        Gpr(d) = LoadW(seg, EaFixed(b, x, scale, disp));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CMovzxRR(int d, int s, int srcSize) => Gpr(d) = GetReg(s, srcSize);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CShiftRI(int kind, int d, uint count)
    {
        if (count != 0)
        {
            Gpr(d) = Shift(kind, Gpr(d), count, 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CImulRR(int d, int s) => Gpr(d) = Imul32(Gpr(d), Gpr(s));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CImulRM(int d, int seg, int b, int x, int scale, uint disp) =>
        Gpr(d) = Imul32(Gpr(d), LoadD(seg, EaFixed(b, x, scale, disp)));

    /// <summary>Any other instruction, through the interpreter's dispatch; the caller has set EIP and the next EIP.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void CInterpret(DecodedOp[] ops, int i) => Execute(ref ops[i]);
}
