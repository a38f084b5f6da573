using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Shifts and rotates (group 2), SHLD and SHRD. Flags follow the SDM; where it calls a flag
/// undefined (OF for counts above 1, AF after shifts), the value chosen here is documented
/// and differential tests mask it.
/// </summary>
public sealed partial class Cpu
{
    private void ExecShift(ref DecodedOp op)
    {
        // The count is CL, an immediate, or 1 (Iced gives the "1" forms an Immediate8 of 1).
        uint count = (op.K1 == (byte)Opnd.Reg ? R[Reg.Ecx] & 0xFF : op.K1 == (byte)Opnd.Imm ? op.Imm : 1) & 0x1F;
        int size = op.Size;
        int bits = size * 8;
        uint m = SizeMask(size), sign = SignBit(size);
        uint d = RmwRead(ref op, out uint lin);
        int kind = op.Cc;
        if (kind is 2 or 3 && size < 4)
        {
            count %= (uint)(bits + 1); // RCL/RCR rotate through bits+1 positions
        }
        if (count == 0)
        {
            return; // no flags change and, for memory, no write (the probe above already checked access)
        }
        uint r;
        // Rotates keep SF, ZF, AF and PF; shifts recompute them below.
        uint f = kind < 4 ? GetFlags() & EFlags.Arith & ~(EFlags.CF | EFlags.OF) : 0;
        bool cf, of;
        switch (kind)
        {
            case 0: // ROL
            {
                int c = (int)(count % (uint)bits);
                r = c == 0 ? d : ((d << c) | (d >> (bits - c))) & m;
                cf = (r & 1) != 0;
                of = ((r & sign) != 0) ^ cf;
                break;
            }
            case 1: // ROR
            {
                int c = (int)(count % (uint)bits);
                r = c == 0 ? d : ((d >> c) | (d << (bits - c))) & m;
                cf = (r & sign) != 0;
                of = ((r & sign) != 0) ^ ((r & (sign >> 1)) != 0);
                break;
            }
            case 2: // RCL
            {
                ulong wide = ((ulong)(CF ? 1u : 0u) << bits) | d; // bits+1 bit value: CF:dest
                int c = (int)count;
                ulong total = (1ul << (bits + 1)) - 1;
                wide = ((wide << c) | (wide >> (bits + 1 - c))) & total;
                r = (uint)wide & m;
                cf = ((wide >> bits) & 1) != 0;
                of = ((r & sign) != 0) ^ cf;
                break;
            }
            case 3: // RCR
            {
                ulong wide = ((ulong)(CF ? 1u : 0u) << bits) | d;
                int c = (int)count;
                ulong total = (1ul << (bits + 1)) - 1;
                of = ((d & sign) != 0) ^ CF; // defined for count 1: computed before the rotation
                wide = ((wide >> c) | (wide << (bits + 1 - c))) & total;
                r = (uint)wide & m;
                cf = ((wide >> bits) & 1) != 0;
                break;
            }
            default: // SHL/SAL, SHR, SAR
                RmwWrite(ref op, lin, Shift(kind, d, count, size));
                return;
        }
        if (cf) f |= EFlags.CF;
        if (of) f |= EFlags.OF;
        SetStatusFlags(f);
        RmwWrite(ref op, lin, r);
    }

    /// <summary>SHL/SAL (kind 4), SHR (5) or SAR (7) of <paramref name="d"/> by a count of 1-31, setting the status flags.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Shift(int kind, uint d, uint count, int size)
    {
        int bits = size * 8;
        uint m = SizeMask(size), sign = SignBit(size);
        uint r;
        bool cf, of;
        switch (kind)
        {
            case 4:
            {
                ulong wide = (ulong)d << (int)count;
                r = (uint)wide & m;
                cf = ((wide >> bits) & 1) != 0;
                of = ((r & sign) != 0) ^ cf;
                break;
            }
            case 5:
                r = count >= (uint)bits ? 0 : d >> (int)count;
                cf = count <= (uint)bits && ((d >> (int)(count - 1)) & 1) != 0;
                of = (d & sign) != 0;
                break;
            default:
            {
                long sd = (int)SignExtend(d, size);
                r = (uint)(sd >> (int)count) & m;
                cf = ((sd >> (int)(count - 1)) & 1) != 0;
                of = false;
                break;
            }
        }
        uint f = ResultFlags(r, size);
        if (cf) f |= EFlags.CF;
        if (of) f |= EFlags.OF;
        SetStatusFlags(f);
        return r;
    }

    /// <summary>ZF, SF and PF of a result (AF clear: undefined after shifts).</summary>
    private static uint ResultFlags(uint r, int size)
    {
        uint f = 0;
        if ((r & SizeMask(size)) == 0) f |= EFlags.ZF;
        if ((r & SignBit(size)) != 0) f |= EFlags.SF;
        if (s_parity[r & 0xFF] != 0) f |= EFlags.PF;
        return f;
    }

    private void ExecShld(ref DecodedOp op, bool left)
    {
        uint count = (op.K2 == (byte)Opnd.Imm ? op.Imm : R[Reg.Ecx]) & 0x1F;
        if (count == 0)
        {
            return;
        }
        int size = op.Size;
        uint d = RmwRead(ref op, out uint lin);
        uint s = GetReg(op.R1, size);
        uint r;
        bool cf;
        if (size == 4)
        {
            int c = (int)count;
            if (left)
            {
                r = (d << c) | (s >> (32 - c));
                cf = ((d >> (32 - c)) & 1) != 0;
            }
            else
            {
                r = (d >> c) | (s << (32 - c));
                cf = ((d >> (c - 1)) & 1) != 0;
            }
        }
        else
        {
            // 16-bit: with a count above 16 the SDM leaves the result undefined; this computes
            // it over the 32-bit pattern dest:src:dest, as Intel processors do.
            ulong wide = ((ulong)d << 32) | ((ulong)s << 16) | d;
            int c = (int)count;
            if (left)
            {
                ulong shifted = wide << c;
                r = (uint)(shifted >> 32) & 0xFFFF;
                cf = ((wide >> (48 - c)) & 1) != 0;
            }
            else
            {
                ulong pattern = ((ulong)d) | ((ulong)s << 16) | ((ulong)d << 32);
                r = (uint)(pattern >> c) & 0xFFFF;
                cf = ((pattern >> (c - 1)) & 1) != 0;
            }
        }
        uint f = ResultFlags(r, size);
        if (cf) f |= EFlags.CF;
        if (((r ^ d) & SignBit(size)) != 0) f |= EFlags.OF; // defined for count 1: the sign changed
        SetStatusFlags(f);
        RmwWrite(ref op, lin, r);
    }
}
