namespace Minix318Emu.Emulator.Cpu;

/// <summary>General-purpose register numbers as the x86 encodes them; <see cref="None"/> indexes a slot that is always zero.</summary>
public static class Reg
{
    public const int Eax = 0, Ecx = 1, Edx = 2, Ebx = 3, Esp = 4, Ebp = 5, Esi = 6, Edi = 7;

    /// <summary>The always-zero slot used for an absent base or index register.</summary>
    public const int None = 8;
}

/// <summary>Segment register numbers as the x86 encodes them.</summary>
public static class SegReg
{
    public const int Es = 0, Cs = 1, Ss = 2, Ds = 3, Fs = 4, Gs = 5;

    /// <summary>The register name, for messages.</summary>
    public static string Name(int seg) => seg switch { 0 => "ES", 1 => "CS", 2 => "SS", 3 => "DS", 4 => "FS", _ => "GS" };
}
