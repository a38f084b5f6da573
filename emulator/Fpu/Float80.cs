using System.Buffers.Binary;
using System.Numerics;

namespace Minix318Emu.Emulator.Fpu;

/// <summary>
/// The x87 80-bit extended-precision format: a 64-bit significand with an explicit integer
/// bit (bit 63), a 15-bit exponent biased by 16383 and a sign. Every encoding is representable,
/// including the ones the 387 and later reject (unnormals, pseudo-NaNs, pseudo-infinities).
/// </summary>
public readonly struct Float80 : IEquatable<Float80>
{
    /// <summary>The exponent bias: a biased exponent of 16383 means 2^0.</summary>
    public const int Bias = 16383;

    /// <summary>The all-ones biased exponent, which encodes infinities and NaNs.</summary>
    public const int MaxExponent = 0x7FFF;

    /// <summary>The explicit integer bit of the significand (bit 63); set in every normal number.</summary>
    public const ulong IntegerBit = 1ul << 63;

    private const ulong QuietBit = 1ul << 62;

    /// <summary>A value from its two stored fields, as they sit in memory (bytes 0-7 and 8-9).</summary>
    public Float80(ulong significand, ushort signExponent)
    {
        Significand = significand;
        SignExponent = signExponent;
    }

    /// <summary>A value from its parts; <paramref name="exponent"/> is the biased exponent, cut to 15 bits.</summary>
    public Float80(bool sign, int exponent, ulong significand)
        : this(significand, (ushort)((sign ? 0x8000 : 0) | (exponent & 0x7FFF)))
    {
    }

    /// <summary>The significand with its explicit integer bit.</summary>
    public ulong Significand { get; }

    /// <summary>Sign (bit 15) and biased exponent (bits 14-0).</summary>
    public ushort SignExponent { get; }

    /// <summary>The sign bit: true for negative values (including -0 and negative NaNs).</summary>
    public bool Sign => (SignExponent & 0x8000) != 0;

    /// <summary>The biased exponent field (0-0x7FFF).</summary>
    public int Exponent => SignExponent & 0x7FFF;

    /// <summary>Positive zero.</summary>
    public static Float80 Zero => default;

    /// <summary>+1.0 (FLD1's constant).</summary>
    public static Float80 One => new(IntegerBit, Bias);

    /// <summary>The default NaN the x87 produces for a masked invalid operation ("real indefinite").</summary>
    public static Float80 Indefinite => new(0xC000_0000_0000_0000, 0xFFFF);

    /// <summary>The infinity of the given sign (negative when <paramref name="sign"/> is true).</summary>
    public static Float80 Infinity(bool sign) => new(sign, MaxExponent, IntegerBit);

    /// <summary>The zero of the given sign.</summary>
    public static Float80 ZeroOf(bool sign) => new(sign, 0, 0);

    /// <summary>+0 or -0.</summary>
    public bool IsZero => Exponent == 0 && Significand == 0;

    /// <summary>Exponent field zero with a non-zero significand: a denormal or a pseudo-denormal (integer bit set).</summary>
    public bool IsDenormal => Exponent == 0 && Significand != 0;

    /// <summary>An infinity: maximum exponent, integer bit alone set (the pseudo-infinity with it clear is not one).</summary>
    public bool IsInfinity => Exponent == MaxExponent && Significand == IntegerBit;

    /// <summary>A NaN: maximum exponent, integer bit set, some other significand bit set (pseudo-NaNs excluded).</summary>
    public bool IsNaN => Exponent == MaxExponent && (Significand & IntegerBit) != 0 && (Significand << 1) != 0;

    /// <summary>A NaN with its quiet bit (bit 62) clear; using one as an operand raises invalid (SDM Vol. 1, 4.8.3.4).</summary>
    public bool IsSignalingNaN => IsNaN && (Significand & QuietBit) == 0;

    /// <summary>Encodings the 387 and later treat as invalid operands: a clear integer bit with a non-zero exponent.</summary>
    public bool IsUnsupported => Exponent != 0 && (Significand & IntegerBit) == 0;

    /// <summary>A normal finite number: exponent neither 0 nor maximum, integer bit set.</summary>
    public bool IsNormal => Exponent is > 0 and < MaxExponent && (Significand & IntegerBit) != 0;

    /// <summary>The value with its sign flipped (FCHS); NaNs included, nothing raised.</summary>
    public Float80 Negate() => new(Significand, (ushort)(SignExponent ^ 0x8000));

    /// <summary>The value with its sign cleared (FABS).</summary>
    public Float80 Abs() => new(Significand, (ushort)(SignExponent & 0x7FFF));

    /// <summary>The value with the given sign bit.</summary>
    public Float80 WithSign(bool sign) => new(sign, Exponent, Significand);

    /// <summary>A NaN with its quiet bit set.</summary>
    public Float80 Quieted() => new(Significand | QuietBit, SignExponent);

    /// <summary>Reads the 10-byte memory format: significand little-endian in bytes 0-7, sign and exponent in bytes 8-9.</summary>
    public static Float80 Read(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[8..]));

    /// <summary>Writes the 10-byte memory format <see cref="Read"/> reads.</summary>
    public void Write(Span<byte> b)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(b, Significand);
        BinaryPrimitives.WriteUInt16LittleEndian(b[8..], SignExponent);
    }

    /// <summary>The exact value of a double (no rounding is ever needed: extended has more of everything).</summary>
    public static Float80 FromDouble(double d)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(d);
        bool sign = (bits >> 63) != 0;
        int exp = (int)((bits >> 52) & 0x7FF);
        ulong frac = bits & 0x000F_FFFF_FFFF_FFFF;
        if (exp == 0x7FF)
        {
            return new Float80(sign, MaxExponent, IntegerBit | (frac << 11));
        }
        if (exp == 0)
        {
            if (frac == 0)
            {
                return ZeroOf(sign);
            }
            int lz = BitOperations.LeadingZeroCount(frac) - 11;
            return new Float80(sign, 1 - 1023 + Bias - lz, frac << (11 + lz));
        }
        return new Float80(sign, exp - 1023 + Bias, IntegerBit | (frac << 11));
    }

    /// <summary>The nearest double (round to nearest even), for the transcendental functions and for display.</summary>
    public double ToDouble()
    {
        var st = new FpStatus(FpStatus.RoundNearest, 64, 0x3F);
        return BitConverter.UInt64BitsToDouble(SoftFloat.ToFloat64(this, ref st));
    }

    /// <summary>Bitwise equality of the encodings (so +0 differs from -0 and a NaN equals itself), not the x87 comparison.</summary>
    public bool Equals(Float80 other) => Significand == other.Significand && SignExponent == other.SignExponent;

    /// <summary>Bitwise equality with another <see cref="Float80"/>, as <see cref="Equals(Float80)"/>.</summary>
    public override bool Equals(object? obj) => obj is Float80 f && Equals(f);

    /// <summary>A hash of both stored fields, consistent with the bitwise <see cref="Equals(Float80)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Significand, SignExponent);

    /// <summary>Bitwise equality of the encodings, as <see cref="Equals(Float80)"/>.</summary>
    public static bool operator ==(Float80 a, Float80 b) => a.Equals(b);

    /// <summary>Bitwise inequality of the encodings.</summary>
    public static bool operator !=(Float80 a, Float80 b) => !a.Equals(b);

    /// <summary>The raw encoding in hex (sign/exponent:significand) and the nearest double, for messages and test output.</summary>
    public override string ToString() => $"{SignExponent:X4}:{Significand:X16} ({ToDouble():R})";
}
