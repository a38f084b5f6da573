namespace Minix318Emu.Emulator.Fpu;

/// <summary>
/// The rounding environment of one x87 operation and the exceptions it raised. Built from the
/// control word before the operation; the executor folds <see cref="Flags"/> into the status word.
/// </summary>
public struct FpStatus
{
    // Rounding-control values, as in the control word's RC field (bits 11-10; SDM Vol. 1, 4.8.4).

    /// <summary>RC 00: round to nearest, ties to even (the default).</summary>
    public const int RoundNearest = 0;

    /// <summary>RC 01: round down, toward negative infinity.</summary>
    public const int RoundDown = 1;

    /// <summary>RC 10: round up, toward positive infinity.</summary>
    public const int RoundUp = 2;

    /// <summary>RC 11: round toward zero (truncate).</summary>
    public const int RoundChop = 3;

    // Exception bits, as in the status and control words (SDM Vol. 1, 8.1.3.1 and 8.4).

    /// <summary>IE: invalid operation (including stack overflow and underflow, told apart by SF).</summary>
    public const int Invalid = 0x01;

    /// <summary>DE: an operand was a denormal.</summary>
    public const int Denormal = 0x02;

    /// <summary>ZE: division of a finite non-zero number by zero (also FYL2X of zero, FXTRACT of zero).</summary>
    public const int ZeroDivide = 0x04;

    /// <summary>OE: the rounded result is too large for the destination format.</summary>
    public const int Overflow = 0x08;

    /// <summary>UE: the result is tiny (and, when masked, also inexact).</summary>
    public const int Underflow = 0x10;

    /// <summary>PE: the result was rounded (inexact).</summary>
    public const int Precision = 0x20;

    /// <summary>Exponent adjustment applied to the result when overflow or underflow is unmasked (SDM 8.5.4, 8.5.5).</summary>
    public const int BiasAdjust = 24576;

    /// <summary>
    /// An environment with no exceptions raised yet: <paramref name="roundingControl"/> one of the
    /// Round* values, <paramref name="precisionBits"/> 24, 53 or 64, <paramref name="masks"/> the
    /// control word's exception masks (bits 0-5).
    /// </summary>
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

    /// <summary>Whether the exception bit <paramref name="flag"/> is unmasked (its mask bit clear), so raising it traps.</summary>
    public readonly bool Unmasked(int flag) => (Masks & flag) == 0;

    /// <summary>An unmasked invalid, denormal or zero-divide exception: the destination must not be written.</summary>
    public readonly bool PreventsResult => (Flags & ~Masks & (Invalid | Denormal | ZeroDivide)) != 0;

    /// <summary>Precision control decoded from the control word's PC field (01 is reserved and behaves as 64 bits here).</summary>
    public static int PrecisionBits(int pcField) => pcField switch { 0 => 24, 2 => 53, _ => 64 };
}
