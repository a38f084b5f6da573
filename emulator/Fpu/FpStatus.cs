namespace Minix318Emu.Emulator.Fpu;

/// <summary>
/// The rounding environment of one x87 operation and the exceptions it raised. Built from the
/// control word before the operation; the executor folds <see cref="Flags"/> into the status word.
/// </summary>
public struct FpStatus
{
    public const int RoundNearest = 0, RoundDown = 1, RoundUp = 2, RoundChop = 3;

    // Exception bits, as in the status and control words.
    public const int Invalid = 0x01, Denormal = 0x02, ZeroDivide = 0x04, Overflow = 0x08, Underflow = 0x10, Precision = 0x20;

    /// <summary>Exponent adjustment applied to the result when overflow or underflow is unmasked (SDM 8.5.4, 8.5.5).</summary>
    public const int BiasAdjust = 24576;

    public FpStatus(int roundingControl, int precisionBits, int masks)
    {
        Rc = roundingControl;
        Pc = precisionBits;
        Masks = masks;
        Flags = 0;
        RoundedUp = false;
    }

    /// <summary>Rounding control (RC field): nearest, down, up, toward zero.</summary>
    public int Rc;

    /// <summary>Significand bits results are rounded to: 24, 53 or 64.</summary>
    public int Pc;

    /// <summary>Exception masks (control word bits 0-5); a set bit masks.</summary>
    public int Masks;

    /// <summary>Exceptions raised by this operation.</summary>
    public int Flags;

    /// <summary>The result was rounded away from zero (reported in C1).</summary>
    public bool RoundedUp;

    public readonly bool Unmasked(int flag) => (Masks & flag) == 0;

    /// <summary>An unmasked invalid, denormal or zero-divide exception: the destination must not be written.</summary>
    public readonly bool PreventsResult => (Flags & ~Masks & (Invalid | Denormal | ZeroDivide)) != 0;

    /// <summary>Precision control decoded from the control word's PC field (01 is reserved and behaves as 64 bits here).</summary>
    public static int PrecisionBits(int pcField) => pcField switch { 0 => 24, 2 => 53, _ => 64 };
}
