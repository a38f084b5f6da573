using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Compiled forms of the bit instructions the interpreter runs through its generic and group
/// paths: BT/BTS/BTR/BTC (<see cref="BtReg"/>, <see cref="BtMem"/>), SETcc and CMOVcc
/// (<see cref="Cond"/>), with the operands as constants.
/// </summary>
public sealed partial class Cpu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CBtRR(int kind, int size, int d, int s) => BtReg(kind, d, size, GetReg(s, size));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CBtRI(int kind, int size, int d, uint imm) => BtReg(kind, d, size, imm);

    /// <summary>BT family on memory with a register bit offset (signed: it may reach outside the operand).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CBtMR(int kind, int size, int s, int seg, int b, int x, int scale, uint disp) =>
        BtMemOut(kind, seg, EaFixed(b, x, scale, disp), size, GetReg(s, size), immediate: false);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CBtMI(int kind, int size, uint imm, int seg, int b, int x, int scale, uint disp) =>
        BtMemOut(kind, seg, EaFixed(b, x, scale, disp), size, imm, immediate: true);

    // Only 32-bit addressing reaches the compiled forms.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BtMemOut(int kind, int seg, uint ea, int size, uint offset, bool immediate) =>
        BtMem(kind, seg, ea, size, offset, immediate, 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CSetccR(int cc, int d) => SetReg(d, 1, Cond(cc) ? 1u : 0u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CSetccM(int cc, int seg, int b, int x, int scale, uint disp) =>
        Store(seg, EaFixed(b, x, scale, disp), 1, Cond(cc) ? 1u : 0u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CCmovRR(int cc, int size, int d, int s)
    {
        uint v = GetReg(s, size);
        if (Cond(cc))
        {
            SetReg(d, size, v);
        }
    }

    /// <summary>CMOVcc from memory: the source is read (and may fault) whether or not the move happens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CCmovRM(int cc, int size, int d, int seg, int b, int x, int scale, uint disp)
    {
        uint v = Load(seg, EaFixed(b, x, scale, disp), size);
        if (Cond(cc))
        {
            SetReg(d, size, v);
        }
    }
}
