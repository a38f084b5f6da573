using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Options;
using Minix318Emu.Images.Minix;

namespace Minix318Emu.Cli.Commands.Image;

/// <summary>
/// `image`: the disk-image tools. Every action but `put` opens the image read-only; `put`
/// writes into the image it is given (that is its purpose), all blocks at the end, so an
/// error leaves the image as it was.
/// </summary>
public static class ImageCommand
{
    /// <summary>Runs the verb; returns the process exit code.</summary>
    public static int Execute(ImageOptions o)
    {
        string[] args = o.Arguments.ToArray();
        try
        {
            switch (o.Action)
            {
                case "info":
                    Expect(o, args, 0, 0, "info IMAGE");
                    using (MinixDisk disk = MinixDisk.Open(o.Image, writable: false))
                    {
                        Console.Out.Write(ImageText.Info(disk));
                    }
                    return 0;
                case "ls":
                    Expect(o, args, 0, 1, "ls IMAGE [PATH]");
                    return WithFileSystem(o, writable: false, fs => List(fs, args.Length > 0 ? args[0] : "/"));
                case "cat":
                    Expect(o, args, 1, 1, "cat IMAGE PATH");
                    return WithFileSystem(o, writable: false, fs => Cat(fs, args[0]));
                case "extract":
                    Expect(o, args, 2, 2, "extract IMAGE PATH DIR");
                    return WithFileSystem(o, writable: false, fs => ImageExtract.Run(fs, args[0], args[1]));
                case "put":
                    Expect(o, args, 2, 2, "put IMAGE PATH FILE");
                    return WithFileSystem(o, writable: true, fs => Put(fs, args[0], args[1]));
                case "bootcfg":
                    Expect(o, args, 0, 0, "bootcfg IMAGE");
                    if (o.Partition is not null)
                    {
                        throw new UsageException("image bootcfg: --partition does not apply: the boot loader boots the active partition");
                    }
                    using (MinixDisk disk = MinixDisk.Open(o.Image, writable: false))
                    {
                        return BootConfigText.Print(disk, o.BootEntry);
                    }
                default:
                    throw new UsageException($"image '{o.Action}': expected info, ls, cat, extract, put or bootcfg");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"image {o.Action}: {e.Message}");
        }
    }

    private static void Expect(ImageOptions o, string[] args, int min, int max, string usage)
    {
        if (o.BootEntry is not null && o.Action != "bootcfg")
        {
            throw new UsageException($"image {o.Action}: --boot-entry only applies to bootcfg");
        }
        if (args.Length < min || args.Length > max)
        {
            throw new UsageException($"image {o.Action}: expected {usage}, got {args.Length + 1} argument(s) after '{o.Action}'");
        }
    }

    private static int WithFileSystem(ImageOptions o, bool writable, Func<MinixFileSystem, int> action)
    {
        using MinixDisk disk = MinixDisk.Open(o.Image, writable);
        return action(disk.OpenFileSystem(o.Partition));
    }

    private static int List(MinixFileSystem fs, string path)
    {
        MfsInode inode = fs.Resolve(path, followFinal: false);
        MfsInode shown = inode.Type == MfsFileType.Symlink ? fs.Resolve(path) : inode;
        if (shown.Type != MfsFileType.Directory)
        {
            Console.Out.WriteLine(ImageText.ListLine(fs, inode, path));
            return 0;
        }
        var lines = new List<string>();
        foreach (MfsDirectoryEntry e in fs.ReadDirectory(shown).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (e.Name is "." or "..")
            {
                continue;
            }
            lines.Add(ImageText.ListLine(fs, fs.ReadInode(e.Inode), e.Name));
        }
        foreach (string line in lines)
        {
            Console.Out.WriteLine(line);
        }
        return 0;
    }

    private static int Cat(MinixFileSystem fs, string path)
    {
        MfsInode inode = fs.Resolve(path);
        if (inode.Type != MfsFileType.Regular)
        {
            throw fs.Error($"{path} is a {MinixFileSystem.Describe(inode.Type)}, not a regular file");
        }
        using Stream stdout = Console.OpenStandardOutput();
        fs.CopyFile(inode, stdout);
        return 0;
    }

    private static int Put(MinixFileSystem fs, string path, string file)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"image put: {file}: no such file");
        }
        byte[] data = File.ReadAllBytes(file);
        ushort permissions = OperatingSystem.IsWindows() ? (ushort)0x1A4 : (ushort)((int)File.GetUnixFileMode(file) & 0xFFF);
        uint time = (uint)Math.Clamp(new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeSeconds(), 0, uint.MaxValue);
        PutResult r = fs.Put(path, data, permissions, time);
        Console.Out.WriteLine($"{(r.Replaced ? "replaced" : "wrote")} {path}: inode {r.Inode}, {r.Bytes} bytes, {r.Zones} zone(s) allocated, {r.BlocksWritten} block(s) written to {fs.Volume.Disk.Name}");
        return 0;
    }
}
