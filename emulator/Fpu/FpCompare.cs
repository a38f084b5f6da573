using System.Numerics;

namespace Minix318Emu.Emulator.Fpu;

/// <summary>The relation of two values as the x87 compares report it.</summary>
public enum FpCompare
{
    Less,
    Equal,
    Greater,
    Unordered,
}
