namespace Minix318Emu.Emulator.Processor;

/// <summary>Segment register numbers as the x86 encodes them.</summary>
public static class SegReg
{
    public const int Es = 0, Cs = 1, Ss = 2, Ds = 3, Fs = 4, Gs = 5;

    /// <summary>The register name, for messages.</summary>
    public static string Name(int seg) => seg switch { 0 => "ES", 1 => "CS", 2 => "SS", 3 => "DS", 4 => "FS", _ => "GS" };
}
