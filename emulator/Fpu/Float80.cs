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
    public const int Bias = 16383;
    public const int MaxExponent = 0x7FFF;
    public const ulong IntegerBit = 1ul << 63;
    private const ulong QuietBit = 1ul << 62;

    public Float80(ulong significand, ushort signExponent)
    {
        Significand = significand;
        SignExponent = signExponent;
    }

    public Float80(bool sign, int exponent, ulong significand)
        : this(significand, (ushort)((sign ? 0x8000 : 0) | (exponent & 0x7FFF)))
    {
    }

    /// <summary>The significand with its explicit integer bit.</summary>
    public ulong Significand { get; }

    /// <summary>Sign (bit 15) and biased exponent (bits 14-0).</summary>
    public ushort SignExponent { get; }

    public bool Sign => (SignExponent & 0x8000) != 0;

    public int Exponent => SignExponent & 0x7FFF;

    public static Float80 Zero => default;

    public static Float80 One => new(IntegerBit, Bias);

    /// <summary>The default NaN the x87 produces for a masked invalid operation ("real indefinite").</summary>
    public static Float80 Indefinite => new(0xC000_0000_0000_0000, 0xFFFF);

    public static Float80 Infinity(bool sign) => new(sign, MaxExponent, IntegerBit);

    public static Float80 ZeroOf(bool sign) => new(sign, 0, 0);

    public bool IsZero => Exponent == 0 && Significand == 0;

    /// <summary>Exponent field zero with a non-zero significand: a denormal or a pseudo-denormal (integer bit set).</summary>
    public bool IsDenormal => Exponent == 0 && Significand != 0;

    public bool IsInfinity => Exponent == MaxExponent && Significand == IntegerBit;

    public bool IsNaN => Exponent == MaxExponent && (Significand & IntegerBit) != 0 && (Significand << 1) != 0;

    public bool IsSignalingNaN => IsNaN && (Significand & QuietBit) == 0;

    /// <summary>Encodings the 387 and later treat as invalid operands: a clear integer bit with a non-zero exponent.</summary>
    public bool IsUnsupported => Exponent != 0 && (Significand & IntegerBit) == 0;

    public bool IsNormal => Exponent is > 0 and < MaxExponent && (Significand & IntegerBit) != 0;

    public Float80 Negate() => new(Significand, (ushort)(SignExponent ^ 0x8000));

    public Float80 Abs() => new(Significand, (ushort)(SignExponent & 0x7FFF));

    public Float80 WithSign(bool sign) => new(sign, Exponent, Significand);

    /// <summary>A NaN with its quiet bit set.</summary>
    public Float80 Quieted() => new(Significand | QuietBit, SignExponent);

    public static Float80 Read(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[8..]));

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

    public bool Equals(Float80 other) => Significand == other.Significand && SignExponent == other.SignExponent;

    public override bool Equals(object? obj) => obj is Float80 f && Equals(f);

    public override int GetHashCode() => HashCode.Combine(Significand, SignExponent);

    public static bool operator ==(Float80 a, Float80 b) => a.Equals(b);

    public static bool operator !=(Float80 a, Float80 b) => !a.Equals(b);

    public override string ToString() => $"{SignExponent:X4}:{Significand:X16} ({ToDouble():R})";
}
