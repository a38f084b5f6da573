using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The compiled forms that work on guest registers held in the compiled block's IL locals
/// (<see cref="Compiler.RegisterCache"/>) instead of <see cref="CpuState.R"/>: a register
/// operand comes in as a value, a destination as a <c>ref</c> to the local, which .NET's JIT
/// turns back into the local once the form is inlined, so the register stays in a host register
/// across the block. Each takes <c>flags</c> as a constant: false where the block compiler has
/// proven that a later instruction of the block overwrites every status flag before anything
/// can read them (<see cref="Compiler.FlagLiveness"/>), and then the lazy-flag record is left
/// out. The stack forms take ESP's value and return its new value (not a <c>ref</c>: their
/// memory access is a call, and a local whose address reaches a call is kept in memory).
/// Semantics are the interpreter's helpers, as in Cpu.Compiled.cs.
/// </summary>
public sealed partial class Cpu
{
    /// <summary>The result of a 32-bit ALU operation without recording flags (ADC and SBB read CF).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint AluValue32(int a, uint d, uint s) => a switch
    {
        Alu.Add => d + s,
        Alu.Or => d | s,
        Alu.Adc => d + s + (CF ? 1u : 0u),
        Alu.Sbb => d - s - (CF ? 1u : 0u),
        Alu.And or Alu.Test => d & s,
        Alu.Xor => d ^ s,
        _ => d - s, // Sub, Cmp
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LAlu(int a, ref uint d, uint s, bool flags)
    {
        uint v = flags ? AluCompute(a, d, s, 4) : AluValue32(a, d, s);
        if (a < Alu.Cmp)
        {
            d = v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LIncDec(bool inc, ref uint d, bool flags)
    {
        uint v = d;
        uint r = inc ? v + 1 : v - 1;
        d = r;
        if (flags)
        {
            RecordIncDec(inc ? LazyOp.Inc : LazyOp.Dec, r, v, 4);
        }
    }

    /// <summary>SHL (kind 4), SHR (5) or SAR (7) of a 32-bit register by 1-31 (a count of 0 compiles to nothing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LShift(int kind, ref uint d, uint count, bool flags)
    {
        if (flags)
        {
            d = Shift(kind, d, count, 4);
            return;
        }
        d = kind switch
        {
            4 => d << (int)count,
            5 => d >> (int)count,
            _ => (uint)((int)d >> (int)count),
        };
    }

    /// <summary>Two- and three-operand IMUL at 32 bits: <paramref name="d"/> = <paramref name="a"/> * <paramref name="b"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LImul(ref uint d, uint a, uint b, bool flags) => d = flags ? Imul32(a, b) : a * b;

    /// <summary>PUSH of a doubleword at <paramref name="esp"/>; returns the new ESP (the store may fault first, leaving ESP as it was).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal uint LPush32(uint esp, uint v)
    {
        if (Stack32)
        {
            uint n = esp - 4;
            WriteLin32(LinWrite(SegReg.Ss, n, 4), v);
            return n;
        }
        uint sp = (esp - 4) & 0xFFFF;
        WriteMem(SegReg.Ss, sp, 4, v);
        return (esp & 0xFFFF_0000) | sp;
    }

    /// <summary>The doubleword at the top of the stack (<paramref name="esp"/>), as POP and RET read it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal uint LStackTop32(uint esp) =>
        Stack32 ? ReadLin32(LinRead(SegReg.Ss, esp, 4)) : ReadMem(SegReg.Ss, esp & 0xFFFF, 4);

    /// <summary>ESP after popping four bytes (SP only, on a 16-bit stack).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint LEspAfterPop4(uint esp) => Stack32 ? esp + 4 : (esp & 0xFFFF_0000) | ((esp + 4) & 0xFFFF);

    /// <summary>A near branch to <paramref name="target"/> (#GP beyond CS's limit); the next EIP, as the interpreter's <see cref="SetNearTarget"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void LBranch(uint target) => SetNearTarget(target, 4);
}
