namespace Minix318Emu.Emulator.Processor;

/// <summary>Segment register numbers as the x86 encodes them.</summary>
public static class SegReg
{
    /// <summary>ES (0): the extra segment; string destinations always use it.</summary>
    public const int Es = 0;

    /// <summary>CS (1): the code segment.</summary>
    public const int Cs = 1;

    /// <summary>SS (2): the stack segment.</summary>
    public const int Ss = 2;

    /// <summary>DS (3): the default data segment.</summary>
    public const int Ds = 3;

    /// <summary>FS (4): an extra data segment.</summary>
    public const int Fs = 4;

    /// <summary>GS (5): an extra data segment.</summary>
    public const int Gs = 5;

    /// <summary>The register name, for messages.</summary>
    public static string Name(int seg) => seg switch { 0 => "ES", 1 => "CS", 2 => "SS", 3 => "DS", 4 => "FS", _ => "GS" };
}
