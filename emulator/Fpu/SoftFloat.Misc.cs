using System.Numerics;

namespace Minix318Emu.Emulator.Fpu;

/// <summary>Comparison, remainders, scaling and exponent extraction: the exact operations.</summary>
internal static partial class SoftFloat
{
    /// <summary>
    /// Compares a with b. Quiet comparisons (FUCOM) raise IE only for signaling NaNs and unsupported
    /// encodings; ordered ones (FCOM, FTST, FICOM) for any NaN.
    /// </summary>
    public static FpCompare Compare(Float80 a, Float80 b, bool quiet, ref FpStatus st)
    {
        if (a.IsUnsupported || b.IsUnsupported)
        {
            st.Flags |= FpStatus.Invalid;
            return FpCompare.Unordered;
        }
        if (a.IsNaN || b.IsNaN)
        {
            if (!quiet || a.IsSignalingNaN || b.IsSignalingNaN)
            {
                st.Flags |= FpStatus.Invalid;
            }
            return FpCompare.Unordered;
        }
        NoteDenormals(a, b, ref st);
        if (a.IsZero && b.IsZero)
        {
            return FpCompare.Equal;
        }
        if (a.Sign != b.Sign)
        {
            return a.Sign ? FpCompare.Less : FpCompare.Greater;
        }
        int mag = CompareMagnitude(a, b);
        if (mag == 0)
        {
            return FpCompare.Equal;
        }
        return (mag < 0) != a.Sign ? FpCompare.Less : FpCompare.Greater;
    }

    /// <summary>Orders magnitudes of two non-NaN values; denormals and pseudo-denormals by their value.</summary>
    private static int CompareMagnitude(Float80 a, Float80 b)
    {
        if (a.IsZero || b.IsZero)
        {
            return a.IsZero ? (b.IsZero ? 0 : -1) : 1;
        }
        if (a.IsInfinity || b.IsInfinity)
        {
            return a.IsInfinity ? (b.IsInfinity ? 0 : 1) : -1;
        }
        var scratch = new FpStatus(0, 64, 0x3F);
        ulong sa = Unpack(a, ref scratch, out int ea);
        ulong sb = Unpack(b, ref scratch, out int eb);
        if (ea != eb)
        {
            return ea < eb ? -1 : 1;
        }
        return sa.CompareTo(sb);
    }

    /// <summary>
    /// FPREM (truncating quotient) and FPREM1 (IEEE, quotient rounded to nearest). The result is
    /// exact. <paramref name="quotient"/> holds the low three quotient bits; <paramref name="partial"/>
    /// is set (C2) when the exponents differ by 64 or more and only a partial reduction was done.
    /// </summary>
    public static Float80 Remainder(Float80 a, Float80 b, bool ieee, ref FpStatus st, out int quotient, out bool partial)
    {
        quotient = 0;
        partial = false;
        if (SpecialOperands(a, b, ref st, out Float80 special))
        {
            return special;
        }
        if (a.IsInfinity || b.IsZero)
        {
            st.Flags |= FpStatus.Invalid;
            return Float80.Indefinite;
        }
        NoteDenormals(a, b, ref st);
        if (a.IsZero || b.IsInfinity)
        {
            return a;
        }
        ulong sa = Unpack(a, ref st, out int ea);
        ulong sb = Unpack(b, ref st, out int eb);
        int d = ea - eb;
        var exact = st;
        exact.Pc = 64;
        bool flip = false;
        UInt128 r;
        if (d >= 64)
        {
            // Partial: reduce by b * 2^(d - N) with a truncated quotient (SDM, FPREM/FPREM1 operation).
            partial = true;
            int n = PartialReductionBits(d);
            eb += d - n;
            d = n;
            ieee = false;
        }
        if (d < 0)
        {
            if (!ieee || d < -1 || sa <= sb)
            {
                return a;
            }
            // FPREM1 with |a| in (|b|/2, |b|): the nearest quotient is 1.
            quotient = 1;
            r = ((UInt128)sb << 1) - sa;
            Float80 res = Pack(!a.Sign, ea + 64, r, ref exact);
            st.Flags |= exact.Flags;
            return res;
        }
        UInt128 num = (UInt128)sa << d;
        UInt128 q = num / sb;
        r = num - q * sb;
        if (ieee && (r << 1 > sb || (r << 1 == sb && (q & 1) != 0)))
        {
            r = sb - r;
            q++;
            flip = true;
        }
        if (!partial)
        {
            quotient = (int)(q & 7);
        }
        if (r == 0)
        {
            return Float80.ZeroOf(a.Sign);
        }
        Float80 result = Pack(a.Sign != flip, eb + 64, r, ref exact);
        st.Flags |= exact.Flags;
        return result;
    }

    /// <summary>N of the SDM's partial remainder ("an implementation-dependent number between 32 and 63"): 32 + D mod 32, AMD's documented choice, which QEMU follows too.</summary>
    internal static int PartialReductionBits(int d) => 32 + (d % 32);

    /// <summary>FSCALE: a * 2^trunc(b).</summary>
    public static Float80 Scale(Float80 a, Float80 b, ref FpStatus st)
    {
        if (SpecialOperands(a, b, ref st, out Float80 special))
        {
            return special;
        }
        NoteDenormals(a, b, ref st);
        if (b.IsInfinity)
        {
            if ((a.IsZero && !b.Sign) || (a.IsInfinity && b.Sign))
            {
                st.Flags |= FpStatus.Invalid;
                return Float80.Indefinite;
            }
            if (a.IsZero || a.IsInfinity)
            {
                return a;
            }
            return b.Sign ? Float80.ZeroOf(a.Sign) : Float80.Infinity(a.Sign);
        }
        if (a.IsZero || a.IsInfinity)
        {
            return a;
        }
        int n = ScaleCount(b);
        ulong s = Unpack(a, ref st, out int e);
        // Exact but for overflow and underflow: the precision control does not apply to FSCALE (SDM 8.1.5.2).
        var full = st;
        full.Pc = 64;
        Float80 r = Pack(a.Sign, e + n + 64, s, ref full);
        st.Flags = full.Flags;
        st.RoundedUp = full.RoundedUp;
        return r;
    }

    /// <summary>trunc(b) clamped far beyond any exponent range, so the product still overflows or underflows.</summary>
    private static int ScaleCount(Float80 b)
    {
        if (b.IsZero)
        {
            return 0;
        }
        int e = b.Exponent == 0 ? -Float80.Bias : b.Exponent - Float80.Bias;
        if (e < 0)
        {
            return 0;
        }
        if (e > 20)
        {
            return b.Sign ? -(1 << 21) : 1 << 21;
        }
        int v = (int)(b.Significand >> (63 - e));
        return b.Sign ? -v : v;
    }

    /// <summary>FXTRACT: splits a into its unbiased exponent (returned) and significand (in [1, 2), with a's sign).</summary>
    public static Float80 Extract(Float80 a, ref FpStatus st, out Float80 significand)
    {
        if (SpecialOperand(a, ref st, out Float80 special))
        {
            significand = special;
            return special;
        }
        if (a.IsInfinity)
        {
            significand = a;
            return Float80.Infinity(false);
        }
        if (a.IsZero)
        {
            st.Flags |= FpStatus.ZeroDivide;
            significand = a;
            return Float80.Infinity(true);
        }
        ulong s = Unpack(a, ref st, out int e);
        significand = new Float80(a.Sign, Float80.Bias, s);
        return FromInt64(e);
    }

    /// <summary>The constants of FLDPI and friends to 67 bits: rounded by the rounding control (not the precision control), no PE.</summary>
    public static Float80 Constant(ulong significand, ulong nextBits, int biasedExponent, int rc)
    {
        // nextBits holds the bits after the 64th, left-aligned; the constants are positive.
        bool up = rc switch
        {
            FpStatus.RoundNearest => nextBits >= 0x8000_0000_0000_0000,
            FpStatus.RoundUp => nextBits != 0,
            _ => false,
        };
        return new Float80(false, biasedExponent, up ? significand + 1 : significand);
    }
}
