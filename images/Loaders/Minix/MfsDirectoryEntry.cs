namespace Minix318Emu.Images.Minix;

/// <summary>
/// A used directory slot (struct direct, minix/fs/mfs/mfsdir.h: a u32 inode number and a
/// 60-byte name, NUL-padded, not terminated when all 60 bytes are used). Free slots have
/// inode 0.
/// </summary>
/// <param name="Name">The name, decoded as UTF-8.</param>
/// <param name="Inode">The inode number.</param>
/// <param name="Slot">The slot's index in the directory (byte offset / 64).</param>
public sealed record MfsDirectoryEntry(string Name, uint Inode, int Slot)
{
    /// <summary>Bytes per slot.</summary>
    public const int Size = 64;

    /// <summary>The longest name (MFS_DIRSIZ).</summary>
    public const int NameMax = 60;
}
