using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The compiled tier's memory helpers, and the forms that work on <see cref="CpuState.R"/>
/// directly: the block compiler (<see cref="Compiler.BlockCompiler"/>) emits a call with
/// constant arguments for each instruction, and .NET's JIT inlines the method and folds the
/// constants, so no dispatch and no operand decoding are left. The semantics are the
/// interpreter's own helpers (<see cref="AluCompute"/>, <see cref="ReadLin32"/>,
/// <see cref="Push"/>, the lazy flags), so the two tiers differ only in how operands reach
/// them. The hot 32-bit forms keep the registers in the block's locals instead
/// (Cpu.Compiled.Local.cs); the others are here and in Cpu.Compiled.Alu.cs, .Bits.cs, .Move.cs
/// and .Flow.cs.
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref uint Gpr(int n) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(R), n);

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
    internal void CMovzxRR(int d, int s, int srcSize) => Gpr(d) = GetReg(s, srcSize);

    /// <summary>Any other instruction, through the interpreter's dispatch; the caller has set EIP and the next EIP.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal void CInterpret(DecodedOp[] ops, int i) => Execute(ref ops[i]);
}
