namespace Minix318Emu.Emulator.Processor;

/// <summary>General-purpose register numbers as the x86 encodes them; <see cref="None"/> indexes a slot that is always zero.</summary>
public static class Reg
{
    public const int Eax = 0, Ecx = 1, Edx = 2, Ebx = 3, Esp = 4, Ebp = 5, Esi = 6, Edi = 7;

    /// <summary>The always-zero slot used for an absent base or index register.</summary>
    public const int None = 8;
}
