using System.IO.Compression;

namespace Minix318Emu.Images.Minix;

/// <summary>
/// A MINIX system laid out as a directory the way ../shared/minix is: a multiboot `kernel`, the
/// boot modules `mod01_*` … `modNN_*` (boot order is their name order), `cmdline.txt` with the
/// kernel command line, and root disks `disk.img` or `disk.img.gz` (and the self-booting
/// `disk-boot.img[.gz]`). Used by `bench --minix DIR` and by the tests that boot the real MINIX.
/// </summary>
public sealed class MinixDistribution
{
    private MinixDistribution(string directory, string kernel, IReadOnlyList<string> modules, string commandLine)
    {
        Directory = directory;
        Kernel = kernel;
        Modules = modules;
        CommandLine = commandLine;
    }

    /// <summary>The directory.</summary>
    public string Directory { get; }

    /// <summary>The kernel's path.</summary>
    public string Kernel { get; }

    /// <summary>The boot modules' paths in boot order.</summary>
    public IReadOnlyList<string> Modules { get; }

    /// <summary>The kernel command line (cmdline.txt, trimmed).</summary>
    public string CommandLine { get; }

    /// <summary>Reads the layout of <paramref name="directory"/>; a missing part is an <see cref="ImageFormatException"/> naming it.</summary>
    public static MinixDistribution Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ImageFormatException(directory, "no such directory (expected a MINIX distribution: kernel, mod01_* ..., cmdline.txt, disk.img[.gz])");
        }
        string kernel = Path.Combine(directory, "kernel");
        if (!File.Exists(kernel))
        {
            throw new ImageFormatException(directory, "no 'kernel' file in the MINIX distribution directory");
        }
        string[] modules = System.IO.Directory.GetFiles(directory, "mod*")
            .Where(p => Path.GetFileName(p).Length > 5 && char.IsAsciiDigit(Path.GetFileName(p)[3]) && char.IsAsciiDigit(Path.GetFileName(p)[4]))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (modules.Length == 0)
        {
            throw new ImageFormatException(directory, "no boot modules (mod01_* ...) in the MINIX distribution directory");
        }
        string cmdlinePath = Path.Combine(directory, "cmdline.txt");
        if (!File.Exists(cmdlinePath))
        {
            throw new ImageFormatException(directory, "no 'cmdline.txt' (the kernel command line) in the MINIX distribution directory");
        }
        return new MinixDistribution(directory, kernel, modules, File.ReadAllText(cmdlinePath).Trim());
    }

    /// <summary>
    /// The path of the raw disk <paramref name="name"/> ("disk.img" or "disk-boot.img"): the file
    /// itself when it is there uncompressed, else its .gz decompressed once into
    /// <paramref name="cacheDirectory"/> (reused while it is newer than the .gz; written to a
    /// temporary name and renamed, so concurrent callers never see half a disk).
    /// </summary>
    public string Disk(string name, string cacheDirectory)
    {
        string raw = Path.Combine(Directory, name);
        if (File.Exists(raw))
        {
            return raw;
        }
        string gz = raw + ".gz";
        if (!File.Exists(gz))
        {
            throw new ImageFormatException(Directory, $"no '{name}' or '{name}.gz' in the MINIX distribution directory");
        }
        System.IO.Directory.CreateDirectory(cacheDirectory);
        string cached = Path.Combine(cacheDirectory, name);
        if (File.Exists(cached) && File.GetLastWriteTimeUtc(cached) >= File.GetLastWriteTimeUtc(gz))
        {
            return cached;
        }
        string temp = $"{cached}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (FileStream input = File.OpenRead(gz))
            using (var unzip = new GZipStream(input, CompressionMode.Decompress))
            using (FileStream output = File.Create(temp))
            {
                unzip.CopyTo(output);
            }
            File.Move(temp, cached, overwrite: true);
        }
        catch (InvalidDataException e)
        {
            File.Delete(temp);
            throw new ImageFormatException(gz, $"not a valid gzip file ({e.Message})");
        }
        return cached;
    }

    /// <summary>The default cache for decompressed disks: a folder under the system's temporary directory.</summary>
    public static string DefaultCache => Path.Combine(Path.GetTempPath(), "minix318emu-disks");
}
