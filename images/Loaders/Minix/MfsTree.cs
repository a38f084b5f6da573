namespace Minix318Emu.Images.Minix;

/// <summary>
/// Walks a directory tree, entries in slot order, "." and ".." skipped. MINIX allows no second
/// link to a directory (fsck.mfs: "link to directory discovered"), so a directory met twice is
/// an error, and one met below itself is reported as the loop it is; a walk therefore ends on
/// any image, however damaged.
/// </summary>
public static class MfsTree
{
    /// <summary>The deepest directory nesting walked.</summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// Visits <paramref name="start"/> and everything below it: <paramref name="enter"/> before
    /// a directory's entries (and for every other file), <paramref name="leave"/> after them.
    /// </summary>
    public static void Walk(MinixFileSystem fs, string name, MfsInode start, Action<MfsTreeItem> enter, Action<MfsTreeItem>? leave = null)
    {
        var seen = new Dictionary<uint, string> { [start.Number] = "" };
        var ancestors = new HashSet<uint>();
        Visit(fs, new MfsTreeItem("", name, start, 0), seen, ancestors, enter, leave);
    }

    private static void Visit(MinixFileSystem fs, MfsTreeItem item, Dictionary<uint, string> seen, HashSet<uint> ancestors, Action<MfsTreeItem> enter, Action<MfsTreeItem>? leave)
    {
        enter(item);
        if (item.Inode.Type != MfsFileType.Directory)
        {
            return;
        }
        if (item.Depth >= MaxDepth)
        {
            throw fs.Error($"{Show(item.Path)}: directories nested more than {MaxDepth} deep");
        }
        ancestors.Add(item.Inode.Number);
        foreach (MfsDirectoryEntry e in fs.ReadDirectory(item.Inode))
        {
            if (e.Name is "." or "..")
            {
                continue;
            }
            string path = item.Path + "/" + e.Name;
            MfsInode inode = fs.ReadInode(e.Inode);
            if (inode.Type == MfsFileType.Directory)
            {
                if (ancestors.Contains(e.Inode))
                {
                    throw fs.Error($"loop in a path: {path} is directory inode {e.Inode}, which is also its ancestor {Show(seen[e.Inode])}");
                }
                if (seen.TryGetValue(e.Inode, out string? other))
                {
                    throw fs.Error($"{path} is a second link to directory inode {e.Inode} (first {Show(other)})");
                }
                seen[e.Inode] = path;
            }
            Visit(fs, new MfsTreeItem(path, e.Name, inode, item.Depth + 1), seen, ancestors, enter, leave);
        }
        ancestors.Remove(item.Inode.Number);
        leave?.Invoke(item);
    }

    private static string Show(string path) => path.Length == 0 ? "(the start)" : path;
}
