namespace Minix318Emu.Images.Minix;

/// <summary>What <see cref="MinixFileSystem.Put"/> did.</summary>
/// <param name="Inode">The file's inode number.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Zones">Zones allocated (data, indirect, and any the directory needed).</param>
/// <param name="Replaced">Whether an existing file got new contents.</param>
/// <param name="BlocksWritten">Blocks written to the image.</param>
public sealed record PutResult(uint Inode, int Bytes, int Zones, bool Replaced, int BlocksWritten);
