using System.Numerics;

namespace Minix318Emu.Emulator.Fpu;

/// <summary>
/// Extended-precision arithmetic on <see cref="Float80"/>, exact before one final rounding, as
/// IEEE 754 and the x87 require. Intermediate significands are 128-bit with the leading bit at
/// 127; everything below the rounding position is kept or folded into a sticky bit.
/// </summary>
internal static partial class SoftFloat
{
    /// <summary>The layout of a binary format for rounding: significand bits and biased exponent range.</summary>
    internal readonly record struct Format(int Bias, int MaxBiased, bool MemoryDestination)
    {
        public static readonly Format Extended = new(Float80.Bias, 0x7FFE, false);
        public static readonly Format Double = new(1023, 0x7FE, true);
        public static readonly Format Single = new(127, 0xFE, true);
    }

    /// <summary>
    /// Rounds the value sig * 2^(e - 127) (sig normalized: bit 127 set) to <paramref name="precision"/>
    /// bits in <paramref name="format"/>, raising OE/UE/PE as the x87 does (tininess after rounding).
    /// Returns the 64-bit significand (leading bit at 63 unless denormal) and the biased exponent (0 for denormals).
    /// </summary>
    internal static ulong Round(bool sign, int e, UInt128 sig, int precision, Format format, ref FpStatus st, out int biased)
    {
        int be = e + format.Bias;
        int shift = 128 - precision;
        UInt128 lsb = UInt128.One << shift;
        if (be < 1)
        {
            bool tiny = be < 0 || !RoundCarries(sign, sig, lsb, st.Rc);
            if (tiny && st.Unmasked(FpStatus.Underflow) && !format.MemoryDestination)
            {
                // Unmasked underflow to a register: deliver the bias-adjusted result (SDM 8.5.5).
                st.Flags |= FpStatus.Underflow;
                be += FpStatus.BiasAdjust;
            }
            else
            {
                if (tiny && st.Unmasked(FpStatus.Underflow))
                {
                    st.Flags |= FpStatus.Underflow;
                }
                sig = ShiftRightJam(sig, 1 - be);
                be = 0;
                bool inexact = RoundInPlace(sign, ref sig, lsb, st.Rc, ref st);
                if (inexact && tiny)
                {
                    st.Flags |= FpStatus.Underflow;
                }
                if ((sig >> 127) != 0)
                {
                    be = 1; // rounded up into the smallest normal
                }
                biased = be;
                return (ulong)(sig >> 64);
            }
        }

        RoundInPlaceNormal(sign, ref sig, ref be, lsb, ref st);
        if (be > format.MaxBiased)
        {
            if (st.Unmasked(FpStatus.Overflow) && !format.MemoryDestination)
            {
                st.Flags |= FpStatus.Overflow;
                be -= FpStatus.BiasAdjust;
            }
            else
            {
                st.Flags |= FpStatus.Overflow | FpStatus.Precision;
                bool toInfinity = st.Rc == FpStatus.RoundNearest
                    || (st.Rc == FpStatus.RoundUp && !sign) || (st.Rc == FpStatus.RoundDown && sign);
                st.RoundedUp = toInfinity;
                if (toInfinity)
                {
                    biased = format.MaxBiased + 1;
                    return Float80.IntegerBit;
                }
                biased = format.MaxBiased;
                return ~0ul << (64 - precision);
            }
        }
        biased = be;
        return (ulong)(sig >> 64);
    }

    /// <summary>Rounds a normal significand; a carry out of bit 127 bumps the exponent.</summary>
    private static void RoundInPlaceNormal(bool sign, ref UInt128 sig, ref int be, UInt128 lsb, ref FpStatus st)
    {
        bool carry = RoundCarries(sign, sig, lsb, st.Rc);
        RoundInPlace(sign, ref sig, lsb, st.Rc, ref st);
        if (carry)
        {
            sig = UInt128.One << 127;
            be++;
        }
    }

    /// <summary>Rounds sig at <paramref name="lsb"/> and truncates below it; true when inexact. A carry out of 128 bits leaves zero (callers check <see cref="RoundCarries"/>).</summary>
    private static bool RoundInPlace(bool sign, ref UInt128 sig, UInt128 lsb, int rc, ref FpStatus st)
    {
        UInt128 mask = lsb - 1;
        UInt128 rem = sig & mask;
        sig &= ~mask;
        if (rem == 0)
        {
            return false;
        }
        st.Flags |= FpStatus.Precision;
        if (Increments(sign, rem, lsb >> 1, (sig & lsb) != 0, rc))
        {
            sig += lsb;
            st.RoundedUp = true;
        }
        return true;
    }

    private static bool Increments(bool sign, UInt128 rem, UInt128 half, bool odd, int rc) => rc switch
    {
        FpStatus.RoundNearest => rem > half || (rem == half && odd),
        FpStatus.RoundUp => !sign,
        FpStatus.RoundDown => sign,
        _ => false,
    };

    /// <summary>Whether rounding sig at lsb overflows the 128-bit significand (all ones above lsb and an increment).</summary>
    private static bool RoundCarries(bool sign, UInt128 sig, UInt128 lsb, int rc)
    {
        UInt128 mask = lsb - 1;
        UInt128 rem = sig & mask;
        if (rem == 0 || (sig | mask) != UInt128.MaxValue)
        {
            return false;
        }
        return Increments(sign, rem, lsb >> 1, true, rc);
    }

    internal static UInt128 ShiftRightJam(UInt128 v, int n)
    {
        if (n <= 0)
        {
            return v;
        }
        if (n >= 128)
        {
            return v != 0 ? UInt128.One : UInt128.Zero;
        }
        UInt128 lost = v & ((UInt128.One << n) - 1);
        return (v >> n) | (lost != 0 ? UInt128.One : UInt128.Zero);
    }

    internal static int LeadingZeros(UInt128 v) => (int)UInt128.LeadingZeroCount(v);

    /// <summary>Rounds an exact result to the extended register format at the precision control's width.</summary>
    internal static Float80 Pack(bool sign, int e, UInt128 sig, ref FpStatus st)
    {
        if (sig == 0)
        {
            return Float80.ZeroOf(sign);
        }
        int lz = LeadingZeros(sig);
        sig <<= lz;
        ulong m = Round(sign, e - lz, sig, st.Pc, Format.Extended, ref st, out int biased);
        return new Float80(sign, biased, m);
    }

    /// <summary>
    /// Splits a finite non-zero operand into sign, unbiased exponent and a significand normalized
    /// to bit 63 (value = sig * 2^(e - 63)); denormals raise DE.
    /// </summary>
    internal static ulong Unpack(Float80 a, ref FpStatus st, out int e)
    {
        ulong sig = a.Significand;
        if (a.Exponent == 0)
        {
            st.Flags |= FpStatus.Denormal;
            int lz = BitOperations.LeadingZeroCount(sig);
            e = 1 - Float80.Bias - lz;
            return sig << lz;
        }
        e = a.Exponent - Float80.Bias;
        return sig;
    }
}
