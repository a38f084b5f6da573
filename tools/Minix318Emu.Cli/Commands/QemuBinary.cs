using Minix318Emu.Cli.Configuration;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// The QEMU that `bench` compares against (`--qemu`): a name looked up on PATH or a path;
/// `none` leaves QEMU out, and so does the default name when it is not installed (QEMU is
/// optional), but a name the user gave that is not there is an error before anything runs.
/// </summary>
internal static class QemuBinary
{
    /// <summary>The --qemu default: found on PATH, and its absence is not an error.</summary>
    public const string DefaultName = "qemu-system-i386";

    /// <summary>The binary --qemu <paramref name="option"/> names, or null when QEMU is left out.</summary>
    public static string? Resolve(string option)
    {
        if (option == "none")
        {
            return null;
        }
        string? path = Find(option);
        if (path is null && option != DefaultName)
        {
            throw new UsageException($"--qemu {option}: no such file");
        }
        return path;
    }

    /// <summary>Why QEMU is not measured, for a "not measured" line: --qemu none, or not installed.</summary>
    public static string Absence(string option) => option == "none" ? "--qemu none" : "not on PATH";

    /// <summary>The file <paramref name="name"/> names on PATH (or <paramref name="name"/> itself when it is a path), or null.</summary>
    public static string? Find(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string p = Path.Combine(dir, name);
            if (File.Exists(p))
            {
                return p;
            }
        }
        return null;
    }
}
