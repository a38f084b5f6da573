using System.Numerics;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Bit instructions: BT/BTS/BTR/BTC, BSF/BSR, BSWAP, SETcc, CMOVcc.</summary>
public sealed partial class Cpu
{
    /// <summary>BT family; <paramref name="kind"/> 0 = BT, 1 = BTS, 2 = BTR, 3 = BTC.</summary>
    private void ExecBt(ref DecodedOp op, int kind)
    {
        uint offset = op.K1 == (byte)Opnd.Imm ? op.Imm : GetReg(op.R1, op.Size);
        if (op.K0 == (byte)Opnd.Reg)
        {
            BtReg(kind, op.R0, op.Size, offset);
        }
        else
        {
            BtMem(kind, op.Seg, Ea(ref op), op.Size, offset, op.K1 == (byte)Opnd.Imm, op.ASize);
        }
    }

    /// <summary>BT family on register <paramref name="r"/>: the bit offset is taken modulo the operand size.</summary>
    internal void BtReg(int kind, int r, int size, uint offset)
    {
        int bit = (int)(offset & (uint)(size * 8 - 1));
        if (BtApply(kind, GetReg(r, size), bit, out uint v))
        {
            SetReg(r, size, v);
        }
    }

    /// <summary>
    /// BT family on memory at <paramref name="ea"/>: an immediate bit offset is taken modulo the
    /// operand size; a register one (<paramref name="immediate"/> false) is signed and may address
    /// memory outside the operand. BTS/BTR/BTC check the write before reading.
    /// </summary>
    internal void BtMem(int kind, int seg, uint ea, int size, uint offset, bool immediate, int asize)
    {
        int bits = size * 8, bit;
        if (immediate)
        {
            bit = (int)(offset & (uint)(bits - 1));
        }
        else
        {
            int so = (int)SignExtend(offset, size);
            ea += (uint)((so >> (size == 4 ? 5 : 4)) * size);
            if (asize == 2) ea &= 0xFFFF;
            bit = so & (bits - 1);
        }
        if (kind == 0)
        {
            BtApply(0, ReadMem(seg, ea, size), bit, out _);
            return;
        }
        uint lin = RmwLin(seg, ea, size);
        if (BtApply(kind, ReadLin(lin, size), bit, out uint v))
        {
            WriteLin(lin, size, v);
        }
    }

    /// <summary>CF = bit <paramref name="bit"/> of <paramref name="d"/>; the value BTS/BTR/BTC write in <paramref name="r"/>, and whether there is one to write (not for BT).</summary>
    private bool BtApply(int kind, uint d, int bit, out uint r)
    {
        bool cf = ((d >> bit) & 1) != 0;
        SetSomeStatusFlags(EFlags.CF, cf ? EFlags.CF : 0);
        uint mask = 1u << bit;
        r = kind == 1 ? d | mask : kind == 2 ? d & ~mask : d ^ mask;
        return kind != 0;
    }

    private void ExecBsf(ref DecodedOp op, bool reverse)
    {
        uint s = ReadSrc(ref op) & SizeMask(op.Size);
        if (s == 0)
        {
            SetSomeStatusFlags(EFlags.ZF, EFlags.ZF); // destination unchanged
            return;
        }
        uint idx = reverse ? (uint)(31 - BitOperations.LeadingZeroCount(s)) : (uint)BitOperations.TrailingZeroCount(s);
        SetReg(op.R0, op.Size, idx);
        SetSomeStatusFlags(EFlags.ZF, 0);
    }
}
