using System.Globalization;
using System.Text;
using Minix318Emu.Images.Disk;
using Minix318Emu.Images.Minix;

namespace Minix318Emu.Cli.Commands.Image;

/// <summary>The text the image verbs print: `ls -l`-style lines and the `info` report.</summary>
public static class ImageText
{
    /// <summary>One `ls -li` line: inode, mode, links, uid, gid, size (or major, minor), mtime (UTC), name, link target.</summary>
    public static string ListLine(MinixFileSystem fs, MfsInode inode, string name)
    {
        string size = inode.Type is MfsFileType.CharDevice or MfsFileType.BlockDevice
            ? $"{(inode.Device >> 8) & 0xFF,4},{inode.Device & 0xFF,4}"
            : inode.FileSize.ToString(CultureInfo.InvariantCulture);
        string time = DateTimeOffset.FromUnixTimeSeconds(inode.ModifyTime).UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        string target = inode.Type == MfsFileType.Symlink ? " -> " + fs.ReadLink(inode) : "";
        return $"{inode.Number,6} {ModeString(inode.Mode)} {inode.Links,3} {inode.Uid,5} {inode.Gid,5} {size,10} {time} {name}{target}";
    }

    /// <summary>The ten-character `ls -l` mode: type letter and rwx triplets with setuid, setgid and sticky.</summary>
    public static string ModeString(ushort mode)
    {
        var s = new StringBuilder(10);
        s.Append((mode & 0xF000) switch
        {
            0x4000 => 'd',
            0x8000 => '-',
            0xA000 => 'l',
            0x2000 => 'c',
            0x6000 => 'b',
            0x1000 => 'p',
            0xC000 => 's',
            _ => '?',
        });
        Triplet(s, mode >> 6, (mode & 0x800) != 0, 's');
        Triplet(s, mode >> 3, (mode & 0x400) != 0, 's');
        Triplet(s, mode, (mode & 0x200) != 0, 't');
        return s.ToString();
    }

    private static void Triplet(StringBuilder s, int bits, bool special, char letter)
    {
        s.Append((bits & 4) != 0 ? 'r' : '-');
        s.Append((bits & 2) != 0 ? 'w' : '-');
        s.Append(special ? ((bits & 1) != 0 ? letter : char.ToUpperInvariant(letter)) : (bits & 1) != 0 ? 'x' : '-');
    }

    /// <summary>The `info` report: the partition tables and every MINIX file system's geometry and free space.</summary>
    public static string Info(MinixDisk disk)
    {
        var w = new StringBuilder();
        long sectors = disk.Disk.Length / PartitionTable.SectorSize;
        w.Append(CultureInfo.InvariantCulture, $"{disk.Disk.Name}: {disk.Disk.Length} bytes ({sectors} sectors), ");
        w.AppendLine(disk.Partitions is null ? "one file system, no partition table" : $"partition table with {disk.Partitions.Entries.Count} used entr{(disk.Partitions.Entries.Count == 1 ? "y" : "ies")}");
        foreach (DiskVolume v in disk.Volumes)
        {
            if (v.Partition is { } p)
            {
                string indent = p.Parent is null ? "  " : "    ";
                string range = p.Sectors == 0 ? "empty" : $"sectors {p.FirstSector}-{(long)p.FirstSector + p.Sectors - 1}";
                w.Append(CultureInfo.InvariantCulture, $"{indent}{v.Name,-6}{(p.Active ? "active " : "       ")}type 0x{p.Type:X2} {p.TypeName,-10} {range} ({p.Sectors} sectors, {Mib(v.Length)})");
                if (p.Clamped)
                {
                    w.Append(CultureInfo.InvariantCulture, $", shrunk to bytes {v.Offset}-{v.Offset + v.Length - 1} to fit {(p.Parent is null ? "the disk" : p.Parent)}");
                }
                w.AppendLine(MinixFileSystem.HasMagic(v) ? ", MINIX v3 file system" : "");
            }
        }
        foreach (DiskVolume v in disk.Volumes.Where(MinixFileSystem.HasMagic))
        {
            AppendFileSystem(w, MinixFileSystem.Open(v));
        }
        return w.ToString();
    }

    private static void AppendFileSystem(StringBuilder w, MinixFileSystem fs)
    {
        MfsSuperblock sb = fs.Superblock;
        long dataZones = sb.Zones - sb.FirstDataZone;
        long freeZones = fs.FreeZones();
        long freeInodes = fs.FreeInodes();
        w.AppendLine(CultureInfo.InvariantCulture, $"{fs.Volume.Name}: MINIX file system v3, {(sb.Clean ? "clean" : "not cleanly unmounted")}");
        if (fs.MissingBlocks > 0)
        {
            w.AppendLine(CultureInfo.InvariantCulture, $"  truncated: the last {fs.MissingBlocks} of its {sb.Zones} blocks lie beyond the end of the {(fs.Volume.Partition is null ? "image" : "partition")}");
        }
        w.AppendLine(CultureInfo.InvariantCulture, $"  block size {sb.BlockSize} bytes, {sb.Zones} zones of one block ({Mib((long)sb.Zones * sb.BlockSize)}), first data zone {sb.FirstDataZone}");
        w.AppendLine(CultureInfo.InvariantCulture, $"  {sb.Inodes} inodes: inode map {sb.InodeMapBlocks} block(s) at 2, zone map {sb.ZoneMapBlocks} block(s) at {sb.ZoneMapStart}, inode table {sb.InodeTableBlocks} blocks at {sb.InodeTableStart}");
        w.AppendLine(CultureInfo.InvariantCulture, $"  largest file {Math.Min(sb.MaxSize, fs.MaxAddressableBytes)} bytes");
        w.AppendLine(CultureInfo.InvariantCulture, $"  free: {freeZones} of {dataZones} data zones ({Mib(freeZones * sb.BlockSize)}), {freeInodes} of {sb.Inodes} inodes");
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
