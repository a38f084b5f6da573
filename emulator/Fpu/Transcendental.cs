namespace Minix318Emu.Emulator.Fpu;

/// <summary>
/// The x87 transcendental instructions. The special cases (NaNs, infinities, zeros, signs) follow
/// the SDM's tables exactly; finite results are computed in double precision and rounded into the
/// extended format, so they carry 53 correct bits, not the 64 of an Intel FPU. The exponent and
/// the exact parts (log2 of the power of two) are kept in extended precision. The operand is
/// narrowed to double with the rounding control; the precision control does not apply to these
/// instructions (SDM 8.1.5.2), so results keep all 64 bits.
/// </summary>
internal static class Transcendental
{
    private static readonly double Ln2 = Math.Log(2.0);

    /// <summary>The largest magnitude FSIN, FCOS, FSINCOS and FPTAN reduce: 2^63 (beyond it C2 is set and ST(0) is left alone).</summary>
    public static bool OutOfRange(Float80 a) => !a.IsNaN && !a.IsUnsupported && a.Exponent >= Float80.Bias + 63;

    private static Float80 FromDouble(double d, ref FpStatus st)
    {
        st.Flags |= FpStatus.Precision;
        return Float80.FromDouble(d); // exact: a double always fits the extended format
    }

    /// <summary>The operand as a double, rounded with the rounding control.</summary>
    private static double Narrow(Float80 a, in FpStatus st)
    {
        var scratch = new FpStatus(st.Rc, 64, 0x3F);
        return BitConverter.UInt64BitsToDouble(SoftFloat.ToFloat64(a, ref scratch));
    }

    /// <summary>Shared by the one-operand functions: NaNs, unsupported encodings, infinities (invalid for the trigonometric ones).</summary>
    private static bool Special(Float80 a, ref FpStatus st, out Float80 result)
    {
        if (SoftFloat.SpecialOperand(a, ref st, out result))
        {
            return true;
        }
        if (a.IsInfinity)
        {
            st.Flags |= FpStatus.Invalid;
            result = Float80.Indefinite;
            return true;
        }
        if (a.IsDenormal)
        {
            st.Flags |= FpStatus.Denormal;
        }
        return false;
    }

    public static Float80 Sin(Float80 a, ref FpStatus st)
    {
        if (Special(a, ref st, out Float80 r))
        {
            return r;
        }
        return a.IsZero ? a : FromDouble(Math.Sin(Narrow(a, st)), ref st);
    }

    public static Float80 Cos(Float80 a, ref FpStatus st)
    {
        if (Special(a, ref st, out Float80 r))
        {
            return r;
        }
        return a.IsZero ? Float80.One : FromDouble(Math.Cos(Narrow(a, st)), ref st);
    }

    public static Float80 Tan(Float80 a, ref FpStatus st)
    {
        if (Special(a, ref st, out Float80 r))
        {
            return r;
        }
        return a.IsZero ? a : FromDouble(Math.Tan(Narrow(a, st)), ref st);
    }

    /// <summary>F2XM1: 2^x - 1 for -1 &lt;= x &lt;= 1 (outside that range the SDM leaves the result undefined).</summary>
    public static Float80 Exp2M1(Float80 a, ref FpStatus st)
    {
        if (SoftFloat.SpecialOperand(a, ref st, out Float80 r))
        {
            return r;
        }
        if (a.IsInfinity)
        {
            return a.Sign ? Float80.One.Negate() : a;
        }
        if (a.IsZero)
        {
            return a;
        }
        if (a.IsDenormal)
        {
            st.Flags |= FpStatus.Denormal;
        }
        double y = Narrow(a, st) * Ln2;
        return FromDouble(ExpM1(y), ref st);
    }

    /// <summary>e^y - 1 without the cancellation of Exp(y) - 1 near zero: 2 tanh(y/2) / (1 - tanh(y/2)).</summary>
    private static double ExpM1(double y)
    {
        if (Math.Abs(y) > 0.5)
        {
            return Math.Exp(y) - 1;
        }
        double t = Math.Tanh(y / 2);
        return 2 * t / (1 - t);
    }

    /// <summary>ln(1 + x) to a few ulps near zero: the rounding error of 1 + x is divided back out.</summary>
    private static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>FYL2X: y * log2(x).</summary>
    public static Float80 YLog2X(Float80 x, Float80 y, ref FpStatus st)
    {
        if (SoftFloat.SpecialOperands(x, y, ref st, out Float80 special))
        {
            return special;
        }
        if (x.IsDenormal || y.IsDenormal)
        {
            st.Flags |= FpStatus.Denormal;
        }
        if (x.Sign && !x.IsZero)
        {
            st.Flags |= FpStatus.Invalid;
            return Float80.Indefinite;
        }
        bool xIsOne = x == Float80.One;
        if (x.IsZero)
        {
            if (y.IsZero)
            {
                st.Flags |= FpStatus.Invalid;
                return Float80.Indefinite;
            }
            if (!y.IsInfinity)
            {
                st.Flags |= FpStatus.ZeroDivide;
            }
            return Float80.Infinity(!y.Sign);
        }
        if (x.IsInfinity)
        {
            if (y.IsZero)
            {
                st.Flags |= FpStatus.Invalid;
                return Float80.Indefinite;
            }
            return Float80.Infinity(y.Sign);
        }
        if (xIsOne && y.IsInfinity)
        {
            st.Flags |= FpStatus.Invalid;
            return Float80.Indefinite;
        }
        if (y.IsInfinity)
        {
            bool below1 = SoftFloat.Compare(x, Float80.One, true, ref st) == FpCompare.Less;
            return Float80.Infinity(y.Sign != below1);
        }
        if (xIsOne)
        {
            return Float80.ZeroOf(y.Sign);
        }
        if (y.IsZero)
        {
            bool below1 = SoftFloat.Compare(x, Float80.One, true, ref st) == FpCompare.Less;
            return Float80.ZeroOf(y.Sign != below1);
        }
        // log2(x) = e + log2(m) with m in [1, 2): the integer part is exact at any magnitude.
        var scratch = st;
        ulong s = SoftFloat.Unpack(x, ref scratch, out int e);
        double m = (double)(s >> 11) / (1ul << 52);
        double log2m = Math.Log2(m);
        Float80 log = SoftFloat.Add(SoftFloat.FromInt64(e), Float80.FromDouble(log2m), ref scratch);
        return TimesLog(y, log, ref st);
    }

    /// <summary>y * log at full precision (the precision control does not apply), the result inexact.</summary>
    private static Float80 TimesLog(Float80 y, Float80 log, ref FpStatus st)
    {
        var full = st;
        full.Pc = 64;
        Float80 product = SoftFloat.Mul(y, log, ref full);
        st.Flags |= FpStatus.Precision | (full.Flags & ~FpStatus.Precision);
        return product;
    }

    /// <summary>FYL2XP1: y * log2(x + 1) for |x| &lt; 1 - sqrt(2)/2.</summary>
    public static Float80 YLog2XP1(Float80 x, Float80 y, ref FpStatus st)
    {
        if (SoftFloat.SpecialOperands(x, y, ref st, out Float80 special))
        {
            return special;
        }
        if (x.IsDenormal || y.IsDenormal)
        {
            st.Flags |= FpStatus.Denormal;
        }
        if (x.IsInfinity || (x.IsZero && y.IsInfinity) || (y.IsInfinity && x.IsZero))
        {
            st.Flags |= FpStatus.Invalid;
            return Float80.Indefinite;
        }
        if (x.IsZero || y.IsZero)
        {
            return Float80.ZeroOf(x.Sign != y.Sign);
        }
        if (y.IsInfinity)
        {
            return Float80.Infinity(x.Sign != y.Sign);
        }
        double xd = Narrow(x, st);
        if (xd < -1)
        {
            // log2 of a negative number (outside the documented range, but the result must be an invalid one).
            st.Flags |= FpStatus.Invalid;
            return Float80.Indefinite;
        }
        if (xd == -1)
        {
            st.Flags |= FpStatus.ZeroDivide;
            return Float80.Infinity(!y.Sign);
        }
        return TimesLog(y, Float80.FromDouble(Log1P(xd) / Ln2), ref st);
    }

    /// <summary>FPATAN: arctan(y / x) in the quadrant of (x, y), as C's atan2 (which follows the same special-value table).</summary>
    public static Float80 Atan2(Float80 y, Float80 x, ref FpStatus st)
    {
        if (SoftFloat.SpecialOperands(y, x, ref st, out Float80 special))
        {
            return special;
        }
        if (x.IsDenormal || y.IsDenormal)
        {
            st.Flags |= FpStatus.Denormal;
        }
        double r = Math.Atan2(Narrow(y, st), Narrow(x, st));
        if (r == 0)
        {
            return Float80.ZeroOf(y.Sign);
        }
        return FromDouble(r, ref st);
    }
}
