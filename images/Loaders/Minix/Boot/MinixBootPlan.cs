namespace Minix318Emu.Images.Minix.Boot;

/// <summary>What MINIX's boot monitor would boot from a disk: the chosen menu entry, the kernel, its command line and the modules.</summary>
/// <param name="Volume">The partition booted from (p0, p0s0, or "disk").</param>
/// <param name="Config">The parsed /boot.cfg.</param>
/// <param name="Entry">The menu entry.</param>
/// <param name="Kernel">The multiboot kernel.</param>
/// <param name="CommandLine">The multiboot command line: the kernel's path, a space, the arguments (exec_multiboot()).</param>
/// <param name="Modules">The modules in load order; each module's multiboot string is its path.</param>
/// <param name="Warnings">What the monitor would have warned about (modules it could not open).</param>
public sealed record MinixBootPlan(
    string Volume,
    BootConfig Config,
    BootMenuEntry Entry,
    BootFileData Kernel,
    string CommandLine,
    IReadOnlyList<BootFileData> Modules,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// The longest module string the monitor passes: it copies the path into the 80-byte
    /// path field of its module list (struct bi_modulelist_entry), keeping 79 characters.
    /// </summary>
    public const int MaxModuleString = 79;

    /// <summary>A module's multiboot string: its path, cut to <see cref="MaxModuleString"/> characters.</summary>
    public static string ModuleString(string path) => path.Length > MaxModuleString ? path[..MaxModuleString] : path;
}
