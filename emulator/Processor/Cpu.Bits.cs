using System.Numerics;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Bit instructions: BT/BTS/BTR/BTC, BSF/BSR, BSWAP, SETcc, CMOVcc.</summary>
public sealed partial class Cpu
{
    /// <summary>BT family; <paramref name="kind"/> 0 = BT, 1 = BTS, 2 = BTR, 3 = BTC.</summary>
    private void ExecBt(ref DecodedOp op, int kind)
    {
        int size = op.Size, bits = size * 8;
        uint offset = op.K1 == (byte)Opnd.Imm ? op.Imm : GetReg(op.R1, size);
        uint d, lin = 0;
        int bit;
        if (op.K0 == (byte)Opnd.Reg)
        {
            bit = (int)(offset & (uint)(bits - 1));
            d = GetReg(op.R0, size);
        }
        else
        {
            uint ea = Ea(ref op);
            if (op.K1 == (byte)Opnd.Imm)
            {
                bit = (int)(offset & (uint)(bits - 1));
            }
            else
            {
                // A register bit offset is signed and may address memory outside the operand.
                int so = (int)SignExtend(offset, size);
                ea += (uint)((so >> (size == 4 ? 5 : 4)) * size);
                if (op.ASize == 2) ea &= 0xFFFF;
                bit = so & (bits - 1);
            }
            if (kind == 0)
            {
                d = ReadMem(op.Seg, ea, size);
            }
            else
            {
                lin = LinWrite(op.Seg, ea, size);
                ProbeWrite(lin, size);
                d = ReadLin(lin, size);
            }
        }
        bool cf = ((d >> bit) & 1) != 0;
        SetSomeStatusFlags(EFlags.CF, cf ? EFlags.CF : 0);
        if (kind == 0)
        {
            return;
        }
        uint mask = 1u << bit;
        uint r = kind == 1 ? d | mask : kind == 2 ? d & ~mask : d ^ mask;
        if (op.K0 == (byte)Opnd.Reg)
        {
            SetReg(op.R0, size, r);
        }
        else
        {
            WriteLin(lin, size, r);
        }
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
