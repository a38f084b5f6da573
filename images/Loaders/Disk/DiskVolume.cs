namespace Minix318Emu.Images.Disk;

/// <summary>
/// A byte range of a disk image that holds one file system: a partition, a sub-partition, or
/// the whole image. Accesses are checked against the range, so a file system that claims more
/// blocks than its partition holds fails with a message naming the partition.
/// </summary>
public sealed class DiskVolume
{
    /// <summary>The volume <paramref name="name"/> at <paramref name="offset"/> of <paramref name="disk"/>.</summary>
    public DiskVolume(IDiskImage disk, string name, long offset, long length, PartitionEntry? partition)
    {
        Disk = disk;
        Name = name;
        Offset = offset;
        Length = length;
        Partition = partition;
    }

    /// <summary>The image.</summary>
    public IDiskImage Disk { get; }

    /// <summary>"p0", "p0s1", or "disk" for a file system without a partition table.</summary>
    public string Name { get; }

    /// <summary>Byte offset in the image.</summary>
    public long Offset { get; }

    /// <summary>Size in bytes.</summary>
    public long Length { get; }

    /// <summary>The partition-table entry, or null for the whole disk.</summary>
    public PartitionEntry? Partition { get; }

    /// <summary>Reads inside the volume; what lies outside it, or past the image's end, is an error naming both.</summary>
    public void Read(long offset, Span<byte> buffer)
    {
        Check(offset, buffer.Length);
        Disk.Read(Offset + offset, buffer);
    }

    /// <summary>Writes inside the volume.</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        Check(offset, data.Length);
        Disk.Write(Offset + offset, data);
    }

    private void Check(long offset, int count)
    {
        if (offset < 0 || offset > Length - count)
        {
            throw new ImageFormatException(Disk.Name, $"{Name}: bytes 0x{offset:X}-0x{offset + count - 1:X} are outside the {(Partition is null ? "image" : "partition")} ({Length} bytes)");
        }
        if (Offset + offset > Disk.Length - count)
        {
            throw new ImageFormatException(Disk.Name, $"truncated: {Name} bytes 0x{offset:X}-0x{offset + count - 1:X} lie beyond the end of the image ({Disk.Length} bytes)");
        }
    }
}
