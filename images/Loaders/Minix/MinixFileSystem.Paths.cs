namespace Minix318Emu.Images.Minix;

/// <summary>Path names: lookup through directories and symbolic links, as MINIX's VFS resolves them.</summary>
public sealed partial class MinixFileSystem
{
    /// <summary>
    /// The most symbolic links followed while resolving one path (MINIX's SYMLOOP_MAX is 16);
    /// more means a loop.
    /// </summary>
    public const int MaxSymlinks = 16;

    /// <summary>The entry called <paramref name="name"/> in <paramref name="dir"/>, or null.</summary>
    public MfsDirectoryEntry? Lookup(MfsInode dir, string name)
    {
        foreach (MfsDirectoryEntry e in ReadDirectory(dir))
        {
            if (e.Name == name)
            {
                return e;
            }
        }
        return null;
    }

    /// <summary>
    /// Resolves an absolute <paramref name="path"/> ("/" is the root; "." and ".." are looked up
    /// as the entries they are). Symbolic links in the middle are always followed, a final one
    /// only when <paramref name="followFinal"/> is set. A missing component, a file used as a
    /// directory and a link loop are errors naming the path.
    /// </summary>
    public MfsInode Resolve(string path, bool followFinal = true) => Resolve(path, followFinal, path);

    /// <summary>Resolves <paramref name="path"/>; errors name <paramref name="shown"/>, the path the user gave.</summary>
    private MfsInode Resolve(string path, bool followFinal, string shown)
    {
        var pending = new List<string>(Components(path));
        MfsInode current = ReadInode(RootInode);
        if (current.Type != MfsFileType.Directory)
        {
            throw Error($"the root inode is not a directory (mode 0{Convert.ToString(current.Mode, 8)})");
        }
        int links = 0;
        string walked = "";
        while (pending.Count > 0)
        {
            string name = pending[0];
            pending.RemoveAt(0);
            if (current.Type != MfsFileType.Directory)
            {
                throw Error($"{shown}: {Display(walked)} is not a directory");
            }
            MfsDirectoryEntry entry = Lookup(current, name) ?? throw Error($"{shown}: no such file or directory ({Display(walked + "/" + name)} is missing)");
            MfsInode next = ReadInode(entry.Inode);
            if (next.Type == MfsFileType.Symlink && (pending.Count > 0 || followFinal))
            {
                if (++links > MaxSymlinks)
                {
                    throw Error($"{shown}: loop in a path (more than {MaxSymlinks} symbolic links)");
                }
                string target = ReadLink(next);
                if (target.StartsWith('/'))
                {
                    current = ReadInode(RootInode);
                    walked = "";
                }
                pending.InsertRange(0, Components(target));
                continue;
            }
            current = next;
            walked += "/" + name;
        }
        return current;
    }

    /// <summary>The directory that would hold <paramref name="path"/>, and the last component's name.</summary>
    public (MfsInode Directory, string Name) ResolveParent(string path)
    {
        string[] parts = Components(path);
        if (parts.Length == 0)
        {
            throw Error($"{path}: names the root directory, not a file in it");
        }
        string parent = "/" + string.Join('/', parts[..^1]);
        MfsInode dir = Resolve(parent, true, path);
        if (dir.Type != MfsFileType.Directory)
        {
            throw Error($"{path}: {parent} is not a directory");
        }
        return (dir, parts[^1]);
    }

    private static string[] Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Display(string walked) => walked.Length == 0 ? "/" : walked;
}
