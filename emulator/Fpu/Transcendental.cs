namespace Minix318Emu.Emulator.Fpu;

/// <summary>
/// The x87 transcendental instructions. The special cases (NaNs, infinities, zeros, signs) follow
/// the SDM's tables exactly; finite results are computed in double precision and rounded into the
/// extended format, so they carry 53 correct bits, not the 64 of an Intel FPU. The exponent and
/// the exact parts (log2 of the power of two) are kept in extended precision.
/// </summary>
internal static class Transcendental
{
    private static readonly double Ln2 = Math.Log(2.0);

    /// <summary>The largest magnitude FSIN, FCOS, FSINCOS and FPTAN reduce: 2^63 (beyond it C2 is set and ST(0) is left alone).</summary>
    public static bool OutOfRange(Float80 a) => !a.IsNaN && !a.IsUnsupported && a.Exponent >= Float80.Bias + 63;

    private static Float80 FromDouble(double d, ref FpStatus st)
    {
        st.Flags |= FpStatus.Precision;
        Float80 f = Float80.FromDouble(d);
        if (f.IsZero || f.IsInfinity || f.IsNaN)
        {
            return f;
        }
        ulong s = SoftFloat.Unpack(f, ref st, out int e);
        return SoftFloat.Pack(f.Sign, e + 64, s, ref st);
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
        return a.IsZero ? a : FromDouble(Math.Sin(a.ToDouble()), ref st);
    }

    public static Float80 Cos(Float80 a, ref FpStatus st)
    {
        if (Special(a, ref st, out Float80 r))
        {
            return r;
        }
        return a.IsZero ? Float80.One : FromDouble(Math.Cos(a.ToDouble()), ref st);
    }

    public static Float80 Tan(Float80 a, ref FpStatus st)
    {
        if (Special(a, ref st, out Float80 r))
        {
            return r;
        }
        return a.IsZero ? a : FromDouble(Math.Tan(a.ToDouble()), ref st);
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
        double y = a.ToDouble() * Ln2;
        return FromDouble(ExpM1(y), ref st);
    }

    private static double ExpM1(double y)
    {
        if (Math.Abs(y) < 1e-5)
        {
            return y + y * y / 2 + y * y * y / 6 + y * y * y * y / 24;
        }
        return Math.Exp(y) - 1;
    }

    private static double Log1P(double x)
    {
        if (Math.Abs(x) < 1e-4)
        {
            double x2 = x * x;
            return x - x2 / 2 + x2 * x / 3 - x2 * x2 / 4 + x2 * x2 * x / 5;
        }
        return Math.Log(1 + x);
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
        var full = st;
        full.Pc = 64;
        Float80 product = SoftFloat.Mul(y, log, ref full);
        st.Flags |= FpStatus.Precision | (full.Flags & ~FpStatus.Precision);
        return Round(product, ref st);
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
        Float80 log = Float80.FromDouble(Log1P(x.ToDouble()) / Ln2);
        var full = st;
        full.Pc = 64;
        Float80 product = SoftFloat.Mul(y, log, ref full);
        st.Flags |= FpStatus.Precision | (full.Flags & ~FpStatus.Precision);
        return Round(product, ref st);
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
        double r = Math.Atan2(y.ToDouble(), x.ToDouble());
        if (r == 0)
        {
            return Float80.ZeroOf(y.Sign);
        }
        return FromDouble(r, ref st);
    }

    private static Float80 Round(Float80 v, ref FpStatus st)
    {
        if (v.IsZero || v.IsInfinity || v.IsNaN)
        {
            return v;
        }
        var scratch = st;
        ulong s = SoftFloat.Unpack(v, ref scratch, out int e);
        return SoftFloat.Pack(v.Sign, e + 64, s, ref st);
    }
}
