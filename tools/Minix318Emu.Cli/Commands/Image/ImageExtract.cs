using Minix318Emu.Images.Minix;

namespace Minix318Emu.Cli.Commands.Image;

/// <summary>
/// `image extract`: copies a file or a directory tree out of an image into a host folder,
/// with modes and modification times. Names are checked before they touch the host (no '/',
/// no "." or "..", nothing empty), and nothing is written through a link or over a folder, so
/// a damaged image cannot place files outside the target folder.
/// </summary>
public static class ImageExtract
{
    /// <summary>Extracts <paramref name="path"/> into <paramref name="target"/>; prints what was done.</summary>
    public static int Run(MinixFileSystem fs, string path, string target)
    {
        MfsInode start = fs.Resolve(path);
        string name = path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        Hosting.OutputFolder.Create("image extract", target);
        int files = 0, dirs = 0, links = 0, skipped = 0;
        var dirTimes = new List<(string Path, MfsInode Inode)>();
        string HostPath(MfsTreeItem item) => item.Depth == 0
            ? (name.Length == 0 ? target : Path.Combine(target, name))
            : Path.Combine(HostDir(item), item.Name);
        var hostDirs = new Dictionary<string, string>();
        string HostDir(MfsTreeItem item) => hostDirs[item.Path[..item.Path.LastIndexOf('/')]];

        MfsTree.Walk(fs, name, start, item =>
        {
            if (item.Depth > 0)
            {
                CheckName(fs, item);
            }
            string host = HostPath(item);
            if (new FileInfo(host).LinkTarget is not null)
            {
                throw fs.Error($"{item.Path}: {host} already exists as a link; not writing through it");
            }
            switch (item.Inode.Type)
            {
                case MfsFileType.Directory:
                    if (File.Exists(host))
                    {
                        throw fs.Error($"{item.Path}: {host} already exists as a file");
                    }
                    Directory.CreateDirectory(host);
                    hostDirs[item.Path] = host;
                    dirs++;
                    break;
                case MfsFileType.Regular:
                    if (Directory.Exists(host))
                    {
                        throw fs.Error($"{item.Path}: {host} already exists as a folder");
                    }
                    using (var output = new FileStream(host, FileMode.Create, FileAccess.Write))
                    {
                        fs.CopyFile(item.Inode, output);
                    }
                    SetAttributes(host, item.Inode);
                    files++;
                    break;
                case MfsFileType.Symlink:
                    if (Path.Exists(host))
                    {
                        throw fs.Error($"{item.Path}: {host} already exists");
                    }
                    File.CreateSymbolicLink(host, fs.ReadLink(item.Inode));
                    links++;
                    break;
                default:
                    skipped++;
                    break;
            }
        }, item => dirTimes.Add((HostPath(item), item.Inode)));
        foreach ((string host, MfsInode inode) in dirTimes)
        {
            SetAttributes(host, inode);
        }
        Console.Out.WriteLine($"extracted {files} file(s), {dirs} director{(dirs == 1 ? "y" : "ies")} and {links} symbolic link(s) into {target}" +
            (skipped > 0 ? $"; skipped {skipped} device, pipe or socket node(s)" : ""));
        return 0;
    }

    private static void CheckName(MinixFileSystem fs, MfsTreeItem item)
    {
        if (item.Name.Length == 0 || item.Name.Contains('/') || item.Name.Contains('\0') || item.Name is "." or "..")
        {
            throw fs.Error($"{item.Path}: bad name '{item.Name}' in a directory (inode {item.Inode.Number})");
        }
    }

    private static void SetAttributes(string host, MfsInode inode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(host, (UnixFileMode)(inode.Mode & 0x1FF));
        }
        DateTime mtime = DateTimeOffset.FromUnixTimeSeconds(inode.ModifyTime).UtcDateTime;
        if (inode.Type == MfsFileType.Directory)
        {
            Directory.SetLastWriteTimeUtc(host, mtime);
        }
        else
        {
            File.SetLastWriteTimeUtc(host, mtime);
        }
    }
}
