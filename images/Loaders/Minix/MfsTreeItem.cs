namespace Minix318Emu.Images.Minix;

/// <summary>One file met by <see cref="MfsTree.Walk"/>.</summary>
/// <param name="Path">Its path from the walk's start ("" for the start itself).</param>
/// <param name="Name">Its name in its directory (the start's own name for the start).</param>
/// <param name="Inode">Its inode.</param>
/// <param name="Depth">0 for the start, 1 for its entries, and so on.</param>
public sealed record MfsTreeItem(string Path, string Name, MfsInode Inode, int Depth);
