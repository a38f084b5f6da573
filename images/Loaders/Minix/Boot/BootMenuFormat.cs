namespace Minix318Emu.Images.Minix.Boot;

/// <summary>How the boot menu labels its entries (boot.cfg "format=").</summary>
public enum BootMenuFormat
{
    /// <summary>Letters when there are more than nine entries and a timeout, else numbers.</summary>
    Auto,

    /// <summary>1, 2, 3, ...</summary>
    Numbers,

    /// <summary>A, B, C, ...</summary>
    Letters,
}
