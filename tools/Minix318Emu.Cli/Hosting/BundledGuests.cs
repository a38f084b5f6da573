namespace Minix318Emu.Cli.Hosting;

/// <summary>Finds the guest kernels shipped with the program (copied from images/guests/bin at build time).</summary>
public static class BundledGuests
{
    /// <summary>The path of a bundled guest, e.g. "demo" gives guests/demo.elf beside the executable.</summary>
    public static string PathOf(string name)
    {
        string p = Path.Combine(AppContext.BaseDirectory, "guests", name + ".elf");
        if (!File.Exists(p))
        {
            throw new FileNotFoundException($"the bundled guest '{name}' is missing at {p}; rebuild the project");
        }
        return p;
    }
}
