using Minix318Emu.Devices.Storage;
using Minix318Emu.Images;
using Minix318Emu.Images.Disk;

namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// A board's IDE disk seen as an <see cref="IDiskImage"/>: the built-in boot loader reads the
/// disk through the same device (and copy-on-write overlay) the guest will use, as a BIOS
/// reads the disk the machine has. Read-only.
/// </summary>
public sealed class BoardDiskReader : IDiskImage
{
    private readonly DiskImage _disk;

    /// <summary>Reads <paramref name="disk"/>.</summary>
    public BoardDiskReader(DiskImage disk) => _disk = disk;

    /// <inheritdoc/>
    public string Name => _disk.Path;

    /// <inheritdoc/>
    public long Length => _disk.Sectors * DiskImage.SectorSize;

    /// <inheritdoc/>
    public bool CanWrite => false;

    /// <inheritdoc/>
    public void Read(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > Length - buffer.Length)
        {
            throw new ImageFormatException(Name, $"truncated: bytes 0x{offset:X}-0x{offset + buffer.Length - 1:X} are beyond the end of the image ({Length} bytes)");
        }
        Span<byte> sector = stackalloc byte[DiskImage.SectorSize];
        while (!buffer.IsEmpty)
        {
            long lba = offset / DiskImage.SectorSize;
            int within = (int)(offset % DiskImage.SectorSize);
            int count = Math.Min(DiskImage.SectorSize - within, buffer.Length);
            _disk.Read(lba, sector);
            sector.Slice(within, count).CopyTo(buffer);
            buffer = buffer[count..];
            offset += count;
        }
    }

    /// <inheritdoc/>
    public void Write(long offset, ReadOnlySpan<byte> data) => throw new InvalidOperationException($"{Name}: the boot loader only reads the disk");
}
