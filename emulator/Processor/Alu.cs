using Iced.Intel;

namespace Minix318Emu.Emulator.Processor;

/// <summary>ALU operation numbers, in the order of the x86 group-1 /r field, plus TEST.</summary>
internal static class Alu
{
    public const byte Add = 0, Or = 1, Adc = 2, Sbb = 3, And = 4, Sub = 5, Xor = 6, Cmp = 7, Test = 8;
}
