using Minix318Emu.Cli.Configuration;

namespace Minix318Emu.Cli.Hosting;

/// <summary>Output folders named on the command line (--out, --out-dir, extract's DIR): created, or refused in one line.</summary>
public static class OutputFolder
{
    /// <summary>Creates <paramref name="path"/> (and its parents); a path that cannot be a folder is a usage error naming <paramref name="option"/>.</summary>
    public static string Create(string option, string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"{option} {path}: cannot create the folder ({e.Message})");
        }
    }
}
