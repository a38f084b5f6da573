using System.Numerics;

namespace Minix318Emu.Emulator.Fpu;

/// <summary>Conversions between the extended format and integers, single and double reals, and packed BCD.</summary>
internal static partial class SoftFloat
{
    public static Float80 FromInt64(long v)
    {
        if (v == 0)
        {
            return Float80.Zero;
        }
        bool sign = v < 0;
        ulong m = sign ? (ulong)-v : (ulong)v; // -long.MinValue wraps to 2^63, which is right as unsigned
        int lz = BitOperations.LeadingZeroCount(m);
        return new Float80(sign, Float80.Bias + 63 - lz, m << lz);
    }

    public static Float80 FromFloat32(uint bits, ref FpStatus st) =>
        FromBinary((bits & 0x8000_0000) != 0, (int)((bits >> 23) & 0xFF), (ulong)(bits & 0x7F_FFFF) << 40, 0xFF, 127, ref st);

    public static Float80 FromFloat64(ulong bits, ref FpStatus st) =>
        FromBinary((bits >> 63) != 0, (int)((bits >> 52) & 0x7FF), (bits & 0x000F_FFFF_FFFF_FFFF) << 11, 0x7FF, 1023, ref st);

    /// <summary>Widens a binary32/64 value whose fraction is already aligned below bit 63.</summary>
    private static Float80 FromBinary(bool sign, int exp, ulong frac, int maxExp, int bias, ref FpStatus st)
    {
        if (exp == maxExp)
        {
            if (frac == 0)
            {
                return Float80.Infinity(sign);
            }
            if ((frac & (1ul << 62)) == 0)
            {
                st.Flags |= FpStatus.Invalid; // a signaling NaN is quieted on load
            }
            return new Float80(sign, Float80.MaxExponent, Float80.IntegerBit | (1ul << 62) | frac);
        }
        if (exp == 0)
        {
            if (frac == 0)
            {
                return Float80.ZeroOf(sign);
            }
            st.Flags |= FpStatus.Denormal;
            int lz = BitOperations.LeadingZeroCount(frac);
            return new Float80(sign, 1 - bias + Float80.Bias - lz, frac << lz);
        }
        return new Float80(sign, exp - bias + Float80.Bias, Float80.IntegerBit | frac);
    }

    public static uint ToFloat32(Float80 a, ref FpStatus st) =>
        (uint)ToBinary(a, 24, 8, Format.Single, ref st);

    public static ulong ToFloat64(Float80 a, ref FpStatus st) =>
        ToBinary(a, 53, 11, Format.Double, ref st);

    /// <summary>Narrows to a binary format of <paramref name="precision"/> significand bits and <paramref name="expBits"/> exponent bits.</summary>
    private static ulong ToBinary(Float80 a, int precision, int expBits, Format format, ref FpStatus st)
    {
        int fracBits = precision - 1;
        int total = 1 + expBits + fracBits;
        ulong signBit = a.Sign ? 1ul << (total - 1) : 0;
        ulong expAll = (ulong)format.MaxBiased + 1;
        if (a.IsUnsupported)
        {
            st.Flags |= FpStatus.Invalid;
            return (1ul << (total - 1)) | (expAll << fracBits) | (1ul << (fracBits - 1));
        }
        if (a.IsNaN)
        {
            if (a.IsSignalingNaN)
            {
                st.Flags |= FpStatus.Invalid;
            }
            ulong frac = (a.Significand << 1) >> (64 - fracBits);
            return signBit | (expAll << fracBits) | frac | (1ul << (fracBits - 1));
        }
        if (a.IsInfinity)
        {
            return signBit | (expAll << fracBits);
        }
        if (a.IsZero)
        {
            return signBit;
        }
        ulong s = Unpack(a, ref st, out int e);
        ulong m = Round(a.Sign, e, (UInt128)s << 64, precision, format, ref st, out int biased);
        ulong fracMask = (1ul << fracBits) - 1;
        return signBit | ((ulong)biased << fracBits) | ((m >> (64 - precision)) & fracMask);
    }

    /// <summary>
    /// Rounds a finite value to an integer magnitude with the given rounding control; PE when
    /// inexact. <paramref name="tooLarge"/> is set when the magnitude is 2^64 or more.
    /// </summary>
    private static ulong IntegerMagnitude(Float80 a, int rc, ref FpStatus st, out bool tooLarge)
    {
        tooLarge = false;
        if (a.IsZero)
        {
            return 0;
        }
        ulong s = Unpack(a, ref st, out int e);
        if (e >= 64)
        {
            tooLarge = true;
            return 0;
        }
        if (e >= 63)
        {
            return s;
        }
        UInt128 integer, rem, half;
        if (e < -1)
        {
            integer = 0;
            rem = 1;
            half = 2; // below one half
        }
        else
        {
            int fracBits = 63 - e; // 1..64
            UInt128 w = s;
            integer = w >> fracBits;
            rem = w & ((UInt128.One << fracBits) - 1);
            half = UInt128.One << (fracBits - 1);
        }
        if (rem == 0)
        {
            return (ulong)integer;
        }
        st.Flags |= FpStatus.Precision;
        if (Increments(a.Sign, rem, half, (integer & 1) != 0, rc))
        {
            st.RoundedUp = true;
            integer++;
            if (integer >> 64 != 0)
            {
                tooLarge = true;
                return 0;
            }
        }
        return (ulong)integer;
    }

    /// <summary>
    /// Converts to a signed integer of <paramref name="bits"/> bits (FIST/FISTP). Out of range,
    /// NaN and infinity raise IE and give the integer indefinite (the most negative value).
    /// </summary>
    public static long ToInt(Float80 a, int bits, ref FpStatus st)
    {
        long indefinite = -1L << (bits - 1);
        if (a.IsUnsupported || a.IsNaN || a.IsInfinity)
        {
            st.Flags |= FpStatus.Invalid;
            return indefinite;
        }
        var probe = st;
        ulong mag = IntegerMagnitude(a, st.Rc, ref probe, out bool tooLarge);
        ulong limit = a.Sign ? 1ul << (bits - 1) : (1ul << (bits - 1)) - 1;
        if (tooLarge || mag > limit)
        {
            // Only IE (and DE) are reported for an out-of-range conversion.
            st.Flags |= FpStatus.Invalid | (probe.Flags & FpStatus.Denormal);
            return indefinite;
        }
        st = probe;
        return a.Sign ? -(long)mag : (long)mag;
    }

    /// <summary>FRNDINT: rounds to an integral value with the rounding control, keeping the sign.</summary>
    public static Float80 RoundToIntegral(Float80 a, ref FpStatus st)
    {
        if (SpecialOperand(a, ref st, out Float80 special))
        {
            return special;
        }
        if (a.IsInfinity || a.IsZero || (a.Exponent - Float80.Bias) >= 63)
        {
            return a;
        }
        ulong mag = IntegerMagnitude(a, st.Rc, ref st, out _);
        return mag == 0 ? Float80.ZeroOf(a.Sign) : FromUInt64(a.Sign, mag);
    }

    private static Float80 FromUInt64(bool sign, ulong m)
    {
        int lz = BitOperations.LeadingZeroCount(m);
        return new Float80(sign, Float80.Bias + 63 - lz, m << lz);
    }

    /// <summary>FBLD: 18 packed decimal digits and a sign byte; the value is exact.</summary>
    public static Float80 FromBcd(ReadOnlySpan<byte> b)
    {
        ulong v = 0;
        for (int i = 8; i >= 0; i--)
        {
            v = v * 100 + (ulong)((b[i] >> 4) * 10 + (b[i] & 0xF));
        }
        bool sign = (b[9] & 0x80) != 0;
        return v == 0 ? Float80.ZeroOf(sign) : FromUInt64(sign, v);
    }

    /// <summary>FBSTP: rounds with the rounding control and packs 18 digits; false (IE) when it does not fit.</summary>
    public static bool ToBcd(Float80 a, Span<byte> b, ref FpStatus st)
    {
        const ulong Max = 999_999_999_999_999_999;
        ulong mag = 0;
        bool ok = !a.IsUnsupported && !a.IsNaN && !a.IsInfinity;
        if (ok)
        {
            var probe = st;
            mag = IntegerMagnitude(a, st.Rc, ref probe, out bool tooLarge);
            ok = !tooLarge && mag <= Max;
            if (ok)
            {
                st = probe;
            }
        }
        if (!ok)
        {
            st.Flags |= FpStatus.Invalid;
            b.Clear();
            b[7] = 0xC0; // the packed BCD indefinite
            b[8] = 0xFF;
            b[9] = 0xFF;
            return false;
        }
        for (int i = 0; i < 9; i++)
        {
            int pair = (int)(mag % 100);
            mag /= 100;
            b[i] = (byte)(((pair / 10) << 4) | (pair % 10));
        }
        b[9] = (byte)(a.Sign ? 0x80 : 0);
        return true;
    }
}
