using Minix318Emu.Emulator.Fpu;
using Xunit;

namespace Minix318Emu.Tests.Fpu;

/// <summary>
/// The extended-precision core against values known to the last bit: results where double and
/// extended precision differ, the precision and rounding controls, denormals, overflow and NaNs.
/// </summary>
public class SoftFloatTests
{
    private static FpStatus Env(int rc = FpStatus.RoundNearest, int pc = 64, int masks = 0x3F) => new(rc, pc, masks);

    private static Float80 F(double d) => Float80.FromDouble(d);

    private static Float80 X(ushort se, ulong sig) => new(sig, se);

    [Theory]
    [InlineData(FpStatus.RoundNearest, 64, 0xAAAA_AAAA_AAAA_AAABul, true)]
    [InlineData(FpStatus.RoundChop, 64, 0xAAAA_AAAA_AAAA_AAAAul, false)]
    [InlineData(FpStatus.RoundDown, 64, 0xAAAA_AAAA_AAAA_AAAAul, false)]
    [InlineData(FpStatus.RoundUp, 64, 0xAAAA_AAAA_AAAA_AAABul, true)]
    [InlineData(FpStatus.RoundNearest, 53, 0xAAAA_AAAA_AAAA_A800ul, false)]
    [InlineData(FpStatus.RoundNearest, 24, 0xAAAA_AB00_0000_0000ul, true)]
    public void OneThird_RoundsToTheControlledPrecisionAndDirection(int rc, int pc, ulong expected, bool roundedUp)
    {
        var st = Env(rc, pc);
        Float80 r = SoftFloat.Div(F(1), F(3), ref st);
        Assert.Equal(X(0x3FFD, expected), r);
        Assert.Equal(FpStatus.Precision, st.Flags);
        Assert.Equal(roundedUp, st.RoundedUp); // reported in C1
    }

    [Fact]
    public void SquareRootOfTwo_IsCorrectlyRoundedToSixtyFourBits()
    {
        var st = Env();
        Assert.Equal(X(0x3FFF, 0xB504_F333_F9DE_6484), SoftFloat.Sqrt(F(2), ref st));
        Assert.Equal(FpStatus.Precision, st.Flags);
        st = Env();
        Assert.Equal(F(1.5), SoftFloat.Sqrt(F(2.25), ref st));
        Assert.Equal(0, st.Flags);
    }

    [Fact]
    public void OnePlusTwoToMinus60_IsExactInExtendedButNotInDouble()
    {
        var st = Env();
        Float80 r = SoftFloat.Add(F(1), F(Math.Pow(2, -60)), ref st);
        Assert.Equal(X(0x3FFF, 0x8000_0000_0000_0008), r);
        Assert.Equal(0, st.Flags);
        Assert.Equal(1.0, r.ToDouble()); // the same sum in double loses the low bit
        st = Env(pc: 53);
        Assert.Equal(F(1), SoftFloat.Add(F(1), F(Math.Pow(2, -60)), ref st));
        Assert.Equal(FpStatus.Precision, st.Flags);
    }

    [Fact]
    public void Subtraction_OfEqualValues_GivesPlusZero_ExceptRoundingDown()
    {
        var st = Env();
        Assert.Equal(Float80.ZeroOf(false), SoftFloat.Sub(F(5), F(5), ref st));
        st = Env(FpStatus.RoundDown);
        Assert.Equal(Float80.ZeroOf(true), SoftFloat.Sub(F(5), F(5), ref st));
    }

    [Fact]
    public void Subtraction_WithFarApartExponents_UsesTheStickyBit()
    {
        // 1 - 2^-100 rounds to 1 (nearest) but to the largest value below 1 when rounding down.
        var st = Env();
        Assert.Equal(F(1), SoftFloat.Sub(F(1), F(Math.Pow(2, -100)), ref st));
        st = Env(FpStatus.RoundDown);
        Assert.Equal(X(0x3FFE, 0xFFFF_FFFF_FFFF_FFFF), SoftFloat.Sub(F(1), F(Math.Pow(2, -100)), ref st));
    }

    [Fact]
    public void Multiplication_Overflows_ToInfinityOrLargestFinite_ByRoundingMode()
    {
        Float80 big = X(0x7FFE, 0x8000_0000_0000_0000);
        var st = Env();
        Assert.Equal(Float80.Infinity(false), SoftFloat.Mul(big, F(2), ref st));
        Assert.Equal(FpStatus.Overflow | FpStatus.Precision, st.Flags);
        st = Env(FpStatus.RoundChop);
        Assert.Equal(X(0x7FFE, 0xFFFF_FFFF_FFFF_FFFF), SoftFloat.Mul(big, F(2), ref st));
        // Unmasked overflow to a register: the bias-adjusted result (exponent - 24576).
        st = Env(masks: 0x3F & ~FpStatus.Overflow);
        Float80 r = SoftFloat.Mul(big, F(2), ref st);
        Assert.Equal(0x7FFF - 24576, r.Exponent);
        Assert.Equal(FpStatus.Overflow, st.Flags);
    }

    [Fact]
    public void TinyResults_BecomeDenormals_WithUnderflowOnlyWhenInexact()
    {
        Float80 min = X(0x0001, 0x8000_0000_0000_0000); // smallest normal
        var st = Env();
        Float80 half = SoftFloat.Div(min, F(2), ref st);
        Assert.Equal(X(0x0000, 0x4000_0000_0000_0000), half);
        Assert.Equal(0, st.Flags); // exact: no underflow when masked
        st = Env();
        Float80 third = SoftFloat.Div(min, F(3), ref st);
        Assert.True(third.IsDenormal);
        Assert.Equal(FpStatus.Underflow | FpStatus.Precision, st.Flags);
        // A denormal operand raises DE.
        st = Env();
        SoftFloat.Add(half, F(1), ref st);
        Assert.Equal(FpStatus.Denormal | FpStatus.Precision, st.Flags);
    }

    [Fact]
    public void InvalidOperations_GiveTheIndefinite_AndNaNsPropagateByX87Rules()
    {
        var st = Env();
        Assert.Equal(Float80.Indefinite, SoftFloat.Sub(Float80.Infinity(false), Float80.Infinity(false), ref st));
        Assert.Equal(FpStatus.Invalid, st.Flags);
        st = Env();
        Assert.Equal(Float80.Indefinite, SoftFloat.Sqrt(F(-1), ref st));
        st = Env();
        Assert.Equal(Float80.Infinity(true), SoftFloat.Div(F(-1), F(0), ref st));
        Assert.Equal(FpStatus.ZeroDivide, st.Flags);

        Float80 snan = X(0x7FFF, 0x8000_0000_0000_0001), qnanBig = X(0x7FFF, 0xC000_0000_0000_0100);
        st = Env();
        Assert.Equal(qnanBig, SoftFloat.Add(snan, qnanBig, ref st)); // SNaN with QNaN: the QNaN
        Assert.Equal(FpStatus.Invalid, st.Flags);
        st = Env();
        Assert.Equal(snan.Quieted(), SoftFloat.Mul(F(2), snan, ref st));
        // Unnormals (exponent set, integer bit clear) are invalid operands on the 387 and later.
        st = Env();
        Assert.Equal(Float80.Indefinite, SoftFloat.Add(X(0x3FFF, 0x4000_0000_0000_0000), F(1), ref st));
        Assert.Equal(FpStatus.Invalid, st.Flags);
    }

    [Fact]
    public void DoubleConversion_RoundsAndDetectsDenormalsAndOverflow()
    {
        var st = Env();
        Float80 third = SoftFloat.Div(F(1), F(3), ref st);
        st = Env();
        Assert.Equal(BitConverter.DoubleToUInt64Bits(1.0 / 3), SoftFloat.ToFloat64(third, ref st));
        Assert.Equal(FpStatus.Precision, st.Flags);
        st = Env();
        Assert.Equal(0x7FF0_0000_0000_0000ul, SoftFloat.ToFloat64(X(0x7000, 0x8000_0000_0000_0000), ref st));
        Assert.Equal(FpStatus.Overflow | FpStatus.Precision, st.Flags);
        st = Env();
        Assert.Equal(1ul, SoftFloat.ToFloat64(F(double.Epsilon), ref st)); // the smallest denormal survives the round trip
        Assert.Equal(0, st.Flags);
        st = Env();
        Assert.Equal(F(double.Epsilon), SoftFloat.FromFloat64(1, ref st));
        Assert.Equal(FpStatus.Denormal, st.Flags);
        st = Env();
        Assert.Equal(0x3EAA_AAABu, SoftFloat.ToFloat32(third, ref st));
    }

    [Theory]
    [InlineData(2.5, FpStatus.RoundNearest, 2)]
    [InlineData(3.5, FpStatus.RoundNearest, 4)]
    [InlineData(-2.5, FpStatus.RoundNearest, -2)]
    [InlineData(2.5, FpStatus.RoundDown, 2)]
    [InlineData(-2.5, FpStatus.RoundDown, -3)]
    [InlineData(2.1, FpStatus.RoundUp, 3)]
    [InlineData(-2.9, FpStatus.RoundChop, -2)]
    [InlineData(0.4, FpStatus.RoundUp, 1)]
    public void IntegerConversion_FollowsTheRoundingControl(double v, int rc, long expected)
    {
        var st = Env(rc);
        Assert.Equal(expected, SoftFloat.ToInt(F(v), 32, ref st));
        Assert.Equal(FpStatus.Precision, st.Flags);
    }

    [Fact]
    public void IntegerConversion_OutOfRange_GivesTheIntegerIndefinite()
    {
        var st = Env();
        Assert.Equal(short.MinValue, SoftFloat.ToInt(F(40000), 16, ref st));
        Assert.Equal(FpStatus.Invalid, st.Flags);
        st = Env();
        Assert.Equal(short.MinValue, SoftFloat.ToInt(F(-32768), 16, ref st));
        Assert.Equal(0, st.Flags);
        st = Env();
        Assert.Equal(long.MinValue, SoftFloat.ToInt(Float80.Indefinite, 64, ref st));
    }

    [Fact]
    public void Bcd_RoundTripsEighteenDigits_AndOverflowGivesTheBcdIndefinite()
    {
        byte[] bcd = { 0x89, 0x67, 0x45, 0x23, 0x01, 0x89, 0x67, 0x45, 0x23, 0x80 };
        Float80 v = SoftFloat.FromBcd(bcd);
        Assert.Equal(-234567890123456789.0, v.ToDouble(), 0);
        var back = new byte[10];
        var st = Env();
        Assert.True(SoftFloat.ToBcd(v, back, ref st));
        Assert.Equal(bcd, back);
        st = Env();
        Assert.False(SoftFloat.ToBcd(F(1e18), back, ref st));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0xC0, 0xFF, 0xFF }, back);
    }

    [Fact]
    public void Remainders_AreExact_WithTheQuotientBits()
    {
        var st = Env();
        Float80 r = SoftFloat.Remainder(F(17), F(5), false, ref st, out int q, out bool partial);
        Assert.Equal(F(2), r);
        Assert.Equal(3, q);
        Assert.False(partial);
        st = Env();
        r = SoftFloat.Remainder(F(17), F(5), true, ref st, out q, out _);
        Assert.Equal(F(2), r);
        st = Env();
        r = SoftFloat.Remainder(F(18), F(5), true, ref st, out q, out _); // 18/5 = 3.6 -> 4, remainder -2
        Assert.Equal(F(-2), r);
        Assert.Equal(4, q);
        st = Env();
        SoftFloat.Remainder(F(1e30), F(3), false, ref st, out _, out partial);
        Assert.True(partial);
    }

    [Fact]
    public void Constants_AreRoundedByTheRoundingControl()
    {
        Assert.Equal(X(0x4000, 0xC90F_DAA2_2168_C235), SoftFloat.Constant(0xC90F_DAA2_2168_C234, 0xC4C6_628B_0000_0000, 0x4000, FpStatus.RoundNearest));
        Assert.Equal(X(0x4000, 0xC90F_DAA2_2168_C234), SoftFloat.Constant(0xC90F_DAA2_2168_C234, 0xC4C6_628B_0000_0000, 0x4000, FpStatus.RoundChop));
    }

    [Fact]
    public void Compare_OrdersSignedZerosInfinitiesAndDenormals()
    {
        var st = Env();
        Assert.Equal(FpCompare.Equal, SoftFloat.Compare(Float80.ZeroOf(true), Float80.ZeroOf(false), false, ref st));
        Assert.Equal(FpCompare.Less, SoftFloat.Compare(Float80.Infinity(true), F(-1e300), false, ref st));
        Assert.Equal(FpCompare.Greater, SoftFloat.Compare(X(0, 1), Float80.Zero, false, ref st));
        Assert.Equal(FpStatus.Denormal, st.Flags);
        st = Env();
        Assert.Equal(FpCompare.Unordered, SoftFloat.Compare(Float80.Indefinite, F(1), true, ref st));
        Assert.Equal(0, st.Flags); // FUCOM of a quiet NaN: no IE
        Assert.Equal(FpCompare.Unordered, SoftFloat.Compare(Float80.Indefinite, F(1), false, ref st));
        Assert.Equal(FpStatus.Invalid, st.Flags);
    }
}
