using System.Numerics;

namespace Minix318Emu.Emulator.Fpu;

/// <summary>The relation of two values as the x87 compares report it.</summary>
public enum FpCompare
{
    /// <summary>The first operand is less than the second (FCOM: C3=0, C2=0, C0=1).</summary>
    Less,

    /// <summary>The operands are equal; +0 and -0 compare equal (C3=1, C2=0, C0=0).</summary>
    Equal,

    /// <summary>The first operand is greater than the second (C3=0, C2=0, C0=0).</summary>
    Greater,

    /// <summary>At least one operand is a NaN or unsupported encoding (C3=1, C2=1, C0=1).</summary>
    Unordered,
}
