namespace Minix318Emu.Images.Disk;

/// <summary>
/// One used slot of a partition table, named as MINIX names its device (c0d0<b>p0</b>,
/// c0d0p0<b>s1</b>). <see cref="Offset"/> and <see cref="Length"/> are the range MINIX's
/// driver gives the device: the table's range shrunk to fit inside the disk or the parent
/// partition (libblockdriver's partition()); <see cref="Clamped"/> says whether that changed it.
/// </summary>
public sealed record PartitionEntry(
    string Name,
    string? Parent,
    int Slot,
    bool Active,
    byte Type,
    uint FirstSector,
    uint Sectors,
    long Offset,
    long Length,
    bool Clamped)
{
    /// <summary>The MINIX partition type (sysind), also the only one that carries sub-partitions.</summary>
    public const byte MinixType = 0x81;

    /// <summary>A short description of the type byte.</summary>
    public string TypeName => Type switch
    {
        0x01 => "FAT12",
        0x04 or 0x06 or 0x0E => "FAT16",
        0x05 or 0x0F => "extended",
        0x07 => "NTFS/exFAT",
        0x0B or 0x0C => "FAT32",
        0x80 => "old MINIX",
        MinixType => "MINIX",
        0x82 => "Linux swap",
        0x83 => "Linux",
        0xA5 => "FreeBSD",
        0xA6 => "OpenBSD",
        0xA9 => "NetBSD",
        0xEE => "GPT protective",
        _ => "unknown",
    };
}
