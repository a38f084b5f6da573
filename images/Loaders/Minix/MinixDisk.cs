using Minix318Emu.Images.Disk;

namespace Minix318Emu.Images.Minix;

/// <summary>
/// A disk image as the image tools and the boot loader see it: its partitions (or one file
/// system filling the image, without a partition table) and the MINIX file systems on them.
/// </summary>
public sealed class MinixDisk : IDisposable
{
    /// <summary>The volume name of a file system that fills an image without a partition table.</summary>
    public const string WholeDisk = "disk";

    private readonly IDisposable? _owned;

    private MinixDisk(IDiskImage disk, PartitionTable? partitions, IReadOnlyList<DiskVolume> volumes, IDisposable? owned)
    {
        Disk = disk;
        Partitions = partitions;
        Volumes = volumes;
        _owned = owned;
    }

    /// <summary>The image.</summary>
    public IDiskImage Disk { get; }

    /// <summary>The partition tables, or null when the image is one file system.</summary>
    public PartitionTable? Partitions { get; }

    /// <summary>Every partition and sub-partition (or the whole image), in MINIX device order.</summary>
    public IReadOnlyList<DiskVolume> Volumes { get; }

    /// <summary>Opens the image file at <paramref name="path"/>; writable only for the verbs meant to change it.</summary>
    public static MinixDisk Open(string path, bool writable)
    {
        DiskFile file = DiskFile.Open(path, writable);
        try
        {
            return Open(file, owned: file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the layout of <paramref name="disk"/>: an MFS superblock magic at byte 1048 means a
    /// bare file system; otherwise sector 0 must hold a partition table.
    /// </summary>
    public static MinixDisk Open(IDiskImage disk) => Open(disk, owned: null);

    private static MinixDisk Open(IDiskImage disk, IDisposable? owned)
    {
        var whole = new DiskVolume(disk, WholeDisk, 0, disk.Length, null);
        if (MinixFileSystem.HasMagic(whole))
        {
            return new MinixDisk(disk, null, [whole], owned);
        }
        if (disk.Length < PartitionTable.SectorSize)
        {
            throw new ImageFormatException(disk.Name, $"too small for a disk ({disk.Length} bytes)");
        }
        var sector = new byte[PartitionTable.SectorSize];
        disk.Read(0, sector);
        if (!PartitionTable.HasSignature(sector))
        {
            throw new ImageFormatException(disk.Name, "neither a partitioned disk (no 0x55AA signature in sector 0) nor a MINIX v3 file system (no magic 0x4D5A at byte 1048)");
        }
        PartitionTable table = PartitionTable.Read(disk);
        var volumes = table.Entries.Select(e => new DiskVolume(disk, e.Name, e.Offset, e.Length, e)).ToList();
        return new MinixDisk(disk, table, volumes, owned);
    }

    /// <summary>
    /// The volume holding the file system to use: the one named <paramref name="name"/>
    /// ("p0", "p0s1"), or by default the active MINIX partition's file system (its first
    /// sub-partition with one, or itself), else the first volume with an MFS v3 magic.
    /// </summary>
    public DiskVolume SelectVolume(string? name)
    {
        if (name is not null)
        {
            return Volumes.FirstOrDefault(v => v.Name == name)
                ?? throw new ImageFormatException(Disk.Name, $"no volume {name} (the image has {Describe()})");
        }
        DiskVolume? active = Volumes.FirstOrDefault(v => v.Partition is { Parent: null, Active: true, Type: PartitionEntry.MinixType });
        if (active is not null)
        {
            DiskVolume? inActive = Volumes.FirstOrDefault(v => v.Partition?.Parent == active.Name && MinixFileSystem.HasMagic(v))
                ?? (MinixFileSystem.HasMagic(active) ? active : null);
            if (inActive is not null)
            {
                return inActive;
            }
        }
        return Volumes.FirstOrDefault(MinixFileSystem.HasMagic)
            ?? throw new ImageFormatException(Disk.Name, $"no MINIX v3 file system on any partition ({Describe()})");
    }

    /// <summary>Opens the file system of <see cref="SelectVolume"/>.</summary>
    public MinixFileSystem OpenFileSystem(string? volume = null) => MinixFileSystem.Open(SelectVolume(volume));

    private string Describe() => Volumes.Count == 0
        ? "no partitions"
        : string.Join(", ", Volumes.Select(v => v.Partition is { } p ? $"{v.Name} type 0x{p.Type:X2}" : v.Name));

    /// <inheritdoc/>
    public void Dispose() => _owned?.Dispose();
}
