namespace Minix318Emu.Emulator.Fpu;

/// <summary>The four basic operations and the square root, correctly rounded.</summary>
internal static partial class SoftFloat
{
    /// <summary>
    /// Handles the operands no arithmetic applies to: unsupported encodings and NaNs, with the
    /// x87 NaN rules (SDM table 4-7). Returns true with the result when one of them is present.
    /// </summary>
    internal static bool SpecialOperands(Float80 a, Float80 b, ref FpStatus st, out Float80 result)
    {
        if (a.IsUnsupported || b.IsUnsupported)
        {
            st.Flags |= FpStatus.Invalid;
            result = Float80.Indefinite;
            return true;
        }
        if (!a.IsNaN && !b.IsNaN)
        {
            result = default;
            return false;
        }
        if (a.IsSignalingNaN || b.IsSignalingNaN)
        {
            st.Flags |= FpStatus.Invalid;
        }
        result = PickNaN(a, b).Quieted();
        return true;
    }

    /// <summary>SNaN with QNaN gives the QNaN; two of a kind give the larger significand, then the positive one.</summary>
    private static Float80 PickNaN(Float80 a, Float80 b)
    {
        if (!b.IsNaN)
        {
            return a;
        }
        if (!a.IsNaN)
        {
            return b;
        }
        if (a.IsSignalingNaN != b.IsSignalingNaN)
        {
            return a.IsSignalingNaN ? b : a;
        }
        ulong ma = a.Significand << 1, mb = b.Significand << 1;
        if (ma != mb)
        {
            return ma > mb ? a : b;
        }
        return a.Sign ? b : a;
    }

    /// <summary>One operand: unsupported encodings and NaNs.</summary>
    internal static bool SpecialOperand(Float80 a, ref FpStatus st, out Float80 result)
    {
        if (a.IsUnsupported)
        {
            st.Flags |= FpStatus.Invalid;
            result = Float80.Indefinite;
            return true;
        }
        if (a.IsNaN)
        {
            if (a.IsSignalingNaN)
            {
                st.Flags |= FpStatus.Invalid;
            }
            result = a.Quieted();
            return true;
        }
        result = default;
        return false;
    }

    /// <summary>Raises DE when either finite operand is a denormal (checked before the operation).</summary>
    private static void NoteDenormals(Float80 a, Float80 b, ref FpStatus st)
    {
        if (a.IsDenormal || b.IsDenormal)
        {
            st.Flags |= FpStatus.Denormal;
        }
    }

    public static Float80 Add(Float80 a, Float80 b, ref FpStatus st) => AddSigned(a, b, b.Sign, ref st);

    public static Float80 Sub(Float80 a, Float80 b, ref FpStatus st) => AddSigned(a, b, !b.Sign, ref st);

    private static Float80 AddSigned(Float80 a, Float80 b, bool signB, ref FpStatus st)
    {
        if (SpecialOperands(a, b, ref st, out Float80 special))
        {
            return special;
        }
        NoteDenormals(a, b, ref st);
        if (a.IsInfinity || b.IsInfinity)
        {
            if (a.IsInfinity && b.IsInfinity && a.Sign != signB)
            {
                st.Flags |= FpStatus.Invalid;
                return Float80.Indefinite;
            }
            return a.IsInfinity ? a : Float80.Infinity(signB);
        }
        bool zeroSign = st.Rc == FpStatus.RoundDown;
        if (a.IsZero && b.IsZero)
        {
            return Float80.ZeroOf(a.Sign == signB ? a.Sign : zeroSign);
        }
        if (a.IsZero || b.IsZero)
        {
            // x + 0 is x rounded to the current precision.
            Float80 x = a.IsZero ? b.WithSign(signB) : a;
            ulong s = Unpack(x, ref st, out int ex);
            return Pack(x.Sign, ex + 64, s, ref st);
        }

        ulong sa = Unpack(a, ref st, out int ea);
        ulong sb = Unpack(b, ref st, out int eb);
        bool signA = a.Sign;
        if (eb > ea || (eb == ea && sb > sa))
        {
            (sa, sb) = (sb, sa);
            (ea, eb) = (eb, ea);
            (signA, signB) = (signB, signA);
        }
        // Both halved so that a carry out of the sum stays inside 128 bits.
        UInt128 wa = (UInt128)sa << 63;
        UInt128 wb = ShiftRightJam((UInt128)sb << 63, ea - eb);
        UInt128 sum;
        if (signA == signB)
        {
            sum = wa + wb;
        }
        else
        {
            sum = wa - wb;
            if (sum == 0)
            {
                return Float80.ZeroOf(zeroSign);
            }
        }
        return Pack(signA, ea + 1, sum, ref st);
    }

    public static Float80 Mul(Float80 a, Float80 b, ref FpStatus st)
    {
        if (SpecialOperands(a, b, ref st, out Float80 special))
        {
            return special;
        }
        NoteDenormals(a, b, ref st);
        bool sign = a.Sign != b.Sign;
        if (a.IsInfinity || b.IsInfinity)
        {
            if (a.IsZero || b.IsZero)
            {
                st.Flags |= FpStatus.Invalid;
                return Float80.Indefinite;
            }
            return Float80.Infinity(sign);
        }
        if (a.IsZero || b.IsZero)
        {
            return Float80.ZeroOf(sign);
        }
        ulong sa = Unpack(a, ref st, out int ea);
        ulong sb = Unpack(b, ref st, out int eb);
        UInt128 p = (UInt128)sa * sb; // value = p * 2^(ea + eb - 126)
        return Pack(sign, ea + eb + 1, p, ref st);
    }

    public static Float80 Div(Float80 a, Float80 b, ref FpStatus st)
    {
        if (SpecialOperands(a, b, ref st, out Float80 special))
        {
            return special;
        }
        bool sign = a.Sign != b.Sign;
        if ((a.IsInfinity && b.IsInfinity) || (a.IsZero && b.IsZero))
        {
            st.Flags |= FpStatus.Invalid;
            return Float80.Indefinite;
        }
        NoteDenormals(a, b, ref st);
        if (a.IsInfinity)
        {
            return Float80.Infinity(sign);
        }
        if (b.IsZero)
        {
            st.Flags |= FpStatus.ZeroDivide;
            return Float80.Infinity(sign);
        }
        if (a.IsZero || b.IsInfinity)
        {
            return Float80.ZeroOf(sign);
        }
        ulong sa = Unpack(a, ref st, out int ea);
        ulong sb = Unpack(b, ref st, out int eb);
        // 128 quotient bits in two long-division steps, the remainder folded into a sticky bit.
        UInt128 n = (UInt128)sa << 63;
        UInt128 qHi = n / sb;
        UInt128 r = n - qHi * sb;
        UInt128 n2 = r << 64;
        UInt128 qLo = n2 / sb;
        UInt128 r2 = n2 - qLo * sb;
        UInt128 q = (qHi << 64) | qLo | (r2 != 0 ? UInt128.One : UInt128.Zero);
        return Pack(sign, ea - eb, q, ref st); // value = q * 2^(ea - eb - 127)
    }

    public static Float80 Sqrt(Float80 a, ref FpStatus st)
    {
        if (SpecialOperand(a, ref st, out Float80 special))
        {
            return special;
        }
        if (a.IsZero)
        {
            return a;
        }
        if (a.Sign)
        {
            st.Flags |= FpStatus.Invalid;
            return Float80.Indefinite;
        }
        if (a.IsInfinity)
        {
            return a;
        }
        ulong s = Unpack(a, ref st, out int e);
        // a = s * 2^(e - 63); make the power of two even so the root's exponent is exact.
        int shift = (e & 1) != 0 ? 64 : 63;
        UInt128 n = (UInt128)s << shift;
        int half = (e - 127 + (64 - shift)) / 2;
        UInt128 root = ISqrt(n, out UInt128 rem);
        // root is 64 bits; the rest of the true root is above one half exactly when rem > root.
        UInt128 tail = rem == 0 ? UInt128.Zero : rem > root ? (UInt128.One << 63) | 1 : UInt128.One;
        return Pack(false, half + 63, (root << 64) | tail, ref st); // value = (root.tail) * 2^half
    }

    /// <summary>Integer square root of a 128-bit value, digit by digit; <paramref name="rem"/> = n - root².</summary>
    internal static UInt128 ISqrt(UInt128 n, out UInt128 rem)
    {
        UInt128 root = 0;
        rem = 0;
        for (int i = 63; i >= 0; i--)
        {
            rem = (rem << 2) | ((n >> (2 * i)) & 3);
            UInt128 trial = (root << 2) | 1;
            root <<= 1;
            if (rem >= trial)
            {
                rem -= trial;
                root |= 1;
            }
        }
        return root;
    }
}
