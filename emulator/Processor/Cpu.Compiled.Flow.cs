using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Compiled forms of the near indirect JMP and CALL (r/m32): the target comes from the operand,
/// the return address is a constant; <see cref="SetNearTarget"/> checks it against CS's limit
/// as the interpreter does. The block compiler has stored the next EIP before these run.
/// </summary>
public sealed partial class Cpu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CJmpR(int s) => SetNearTarget(Gpr(s), 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CJmpM(int seg, int b, int x, int scale, uint disp) => SetNearTarget(LoadD(seg, EaFixed(b, x, scale, disp)), 4);

    /// <summary>CALL r32: the target is read before the push (CALL ESP jumps to ESP's value before it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CCallR(int s, uint ret)
    {
        SetNearTarget(Gpr(s), 4);
        Push32(ret);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CCallM(uint ret, int seg, int b, int x, int scale, uint disp)
    {
        SetNearTarget(LoadD(seg, EaFixed(b, x, scale, disp)), 4);
        Push32(ret);
    }
}
