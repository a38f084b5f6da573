using System.Buffers.Binary;
using Minix318Emu.Images.Disk;

namespace Minix318Emu.Images.Minix;

/// <summary>
/// A MINIX file system v3 (MFS) on a volume: the superblock, the inode and zone bitmaps, the
/// inode table, and files through their direct, single-indirect and double-indirect zones,
/// following MFS's own read_map() (minix/fs/mfs/read.c). Every number read from the disk is
/// checked before it is used: a damaged image gives an <see cref="ImageFormatException"/> whose
/// one-line message names the image, the volume and what is wrong, and nothing else escapes.
/// Changes (<see cref="Put"/>) are collected in memory and written only when complete.
/// </summary>
public sealed partial class MinixFileSystem
{
    /// <summary>The root directory's inode number.</summary>
    public const uint RootInode = 1;

    /// <summary>
    /// The largest directory read, 16 MiB (262 144 entries). MFS itself has no such limit, but
    /// a damaged size field would otherwise make a listing allocate without bound.
    /// </summary>
    public const int MaxDirectoryBytes = 16 << 20;

    private readonly Dictionary<uint, byte[]> _pending = new();

    private MinixFileSystem(DiskVolume volume, MfsSuperblock superblock)
    {
        Volume = volume;
        Superblock = superblock;
    }

    /// <summary>The volume holding the file system.</summary>
    public DiskVolume Volume { get; }

    /// <summary>The superblock.</summary>
    public MfsSuperblock Superblock { get; }

    /// <summary>Bytes per block (= per zone).</summary>
    public int BlockSize => Superblock.BlockSize;

    /// <summary>
    /// Blocks of the file system missing at the end of its volume (a truncated image, or a
    /// partition smaller than the file system); reading one of them is an error, writing is refused.
    /// </summary>
    public long MissingBlocks => Math.Max(0, Superblock.Zones - Volume.Length / BlockSize);

    /// <summary>The largest file size the zone tree can address (7 direct, one indirect, one double-indirect block).</summary>
    public long MaxAddressableBytes
    {
        get
        {
            long n = Superblock.Indirects;
            return (MfsInode.DirectZones + n + n * n) * (long)BlockSize;
        }
    }

    /// <summary>Reads the superblock of <paramref name="volume"/> and checks it.</summary>
    public static MinixFileSystem Open(DiskVolume volume)
    {
        if (volume.Length < MfsSuperblock.Offset + MfsSuperblock.OnDiskBytes)
        {
            throw new ImageFormatException(volume.Disk.Name, $"{Where(volume)}too small for a file system ({volume.Length} bytes)");
        }
        var b = new byte[MfsSuperblock.OnDiskBytes];
        volume.Read(MfsSuperblock.Offset, b);
        MfsSuperblock sb = MfsSuperblock.Parse(b, p => new ImageFormatException(volume.Disk.Name, Where(volume) + p));
        return new MinixFileSystem(volume, sb);
    }

    /// <summary>Whether <paramref name="volume"/> starts like an MFS v3 file system (the magic number alone).</summary>
    public static bool HasMagic(DiskVolume volume)
    {
        if (volume.Length < MfsSuperblock.Offset + MfsSuperblock.OnDiskBytes || volume.Offset + MfsSuperblock.Offset + 32 > volume.Disk.Length)
        {
            return false;
        }
        Span<byte> b = stackalloc byte[2];
        volume.Read(MfsSuperblock.Offset + 24, b);
        return BinaryPrimitives.ReadUInt16LittleEndian(b) == MfsSuperblock.MagicV3;
    }

    /// <summary>An error about this file system, as one line.</summary>
    public ImageFormatException Error(string problem) => new(Volume.Disk.Name, Where(Volume) + problem);

    private static string Where(DiskVolume v) => v.Partition is null ? "" : v.Name + ": ";

    /// <summary>Reads block <paramref name="block"/> (with the changes not yet written).</summary>
    public byte[] ReadBlock(uint block)
    {
        var b = new byte[BlockSize];
        ReadBlock(block, b);
        return b;
    }

    /// <summary>Reads block <paramref name="block"/> into <paramref name="buffer"/> (BlockSize bytes).</summary>
    public void ReadBlock(uint block, Span<byte> buffer)
    {
        if (block >= Superblock.Zones)
        {
            throw Error($"block {block} is beyond the end of the file system ({Superblock.Zones} blocks)");
        }
        if (_pending.TryGetValue(block, out byte[]? changed))
        {
            changed.CopyTo(buffer);
            return;
        }
        CheckPresent(block);
        Volume.Read((long)block * BlockSize, buffer[..BlockSize]);
    }

    private void CheckPresent(uint block)
    {
        if ((long)(block + 1) * BlockSize > Volume.Length)
        {
            throw Error($"truncated: block {block} lies beyond the end of the {(Volume.Partition is null ? "image" : "partition")} ({Volume.Length / BlockSize} of the file system's {Superblock.Zones} blocks are there)");
        }
    }

    /// <summary>Reads inode <paramref name="number"/> (1 to s_ninodes).</summary>
    public MfsInode ReadInode(uint number)
    {
        if (number < 1 || number > Superblock.Inodes)
        {
            throw Error($"inode {number} is out of range (1..{Superblock.Inodes})");
        }
        (uint block, int offset) = InodeLocation(number);
        byte[] b = ReadBlock(block);
        MfsInode inode = MfsInode.Parse(number, b.AsSpan(offset, MfsInode.Size));
        if (inode.FileSize < 0)
        {
            throw Error($"inode {number} has a negative size ({inode.FileSize})");
        }
        if (inode.HasZones && inode.FileSize > MaxAddressableBytes)
        {
            throw Error($"inode {number} has size {inode.FileSize}, beyond what double-indirect zones address ({MaxAddressableBytes})");
        }
        return inode;
    }

    private (uint Block, int Offset) InodeLocation(uint number)
    {
        long byteOffset = (long)(number - 1) * MfsInode.Size;
        return ((uint)(Superblock.InodeTableStart + byteOffset / BlockSize), (int)(byteOffset % BlockSize));
    }

    /// <summary>
    /// The zone holding block <paramref name="index"/> of a file, or 0 for a hole (read_map()).
    /// Every zone met on the way, indirect blocks included, must lie in the data area.
    /// </summary>
    public uint MapBlock(MfsInode inode, long index)
    {
        long n = Superblock.Indirects;
        if (index < MfsInode.DirectZones)
        {
            return CheckedZone(inode, inode.Zones[index], "data");
        }
        index -= MfsInode.DirectZones;
        uint single;
        if (index < n)
        {
            single = CheckedZone(inode, inode.Zones[MfsInode.SingleIndirect], "single-indirect");
        }
        else
        {
            index -= n;
            if (index >= n * n)
            {
                throw Error($"inode {inode.Number}: block {index + MfsInode.DirectZones + n} of the file is beyond double-indirect zones");
            }
            uint dbl = CheckedZone(inode, inode.Zones[MfsInode.DoubleIndirect], "double-indirect");
            if (dbl == 0)
            {
                return 0;
            }
            single = CheckedZone(inode, ReadIndirect(dbl, (int)(index / n)), "single-indirect");
            index %= n;
        }
        if (single == 0)
        {
            return 0;
        }
        return CheckedZone(inode, ReadIndirect(single, (int)index), "data");
    }

    private uint ReadIndirect(uint zone, int slot)
    {
        Span<byte> b = stackalloc byte[4];
        if (_pending.TryGetValue(zone, out byte[]? changed))
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(changed.AsSpan(slot * 4));
        }
        CheckPresent(zone);
        Volume.Read((long)zone * BlockSize + slot * 4, b);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    /// <summary>A zone number from an inode or an indirect block: 0 (none) or inside the data zones.</summary>
    private uint CheckedZone(MfsInode inode, uint zone, string kind)
    {
        if (zone != 0 && (zone < Superblock.FirstDataZone || zone >= Superblock.Zones))
        {
            throw Error($"inode {inode.Number}: {kind} zone {zone} out of range (data zones are {Superblock.FirstDataZone}..{Superblock.Zones - 1})");
        }
        return zone;
    }

    /// <summary>Reads <paramref name="buffer"/>.Length bytes of a file from <paramref name="offset"/>; holes read as zeros.</summary>
    public void ReadFile(MfsInode inode, long offset, Span<byte> buffer)
    {
        if (!inode.HasZones)
        {
            throw Error($"inode {inode.Number} is a {Describe(inode.Type)}, which has no data");
        }
        if (offset < 0 || offset + buffer.Length > inode.FileSize)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes {offset}..{offset + buffer.Length} are outside the file's {inode.FileSize}");
        }
        byte[] block = new byte[BlockSize];
        while (!buffer.IsEmpty)
        {
            long index = offset / BlockSize;
            int within = (int)(offset % BlockSize);
            int count = Math.Min(BlockSize - within, buffer.Length);
            uint zone = MapBlock(inode, index);
            if (zone == 0)
            {
                buffer[..count].Clear();
            }
            else
            {
                ReadBlock(zone, block);
                block.AsSpan(within, count).CopyTo(buffer);
            }
            buffer = buffer[count..];
            offset += count;
        }
    }

    /// <summary>Copies a whole file to <paramref name="output"/>, block by block.</summary>
    public void CopyFile(MfsInode inode, Stream output)
    {
        byte[] buffer = new byte[BlockSize];
        long size = inode.FileSize;
        for (long offset = 0; offset < size; offset += BlockSize)
        {
            int count = (int)Math.Min(BlockSize, size - offset);
            ReadFile(inode, offset, buffer.AsSpan(0, count));
            output.Write(buffer, 0, count);
        }
    }

    /// <summary>Reads a whole file of at most <paramref name="limit"/> bytes.</summary>
    public byte[] ReadAll(MfsInode inode, int limit)
    {
        if (inode.FileSize > limit)
        {
            throw Error($"inode {inode.Number} holds {inode.FileSize} bytes, more than the {limit} expected here");
        }
        var data = new byte[inode.FileSize];
        ReadFile(inode, 0, data);
        return data;
    }

    /// <summary>The used entries of a directory, in slot order ("." and ".." included).</summary>
    public IReadOnlyList<MfsDirectoryEntry> ReadDirectory(MfsInode dir)
    {
        if (dir.Type != MfsFileType.Directory)
        {
            throw Error($"inode {dir.Number} is not a directory");
        }
        if (dir.FileSize > MaxDirectoryBytes)
        {
            throw Error($"directory inode {dir.Number} has an implausible size ({dir.FileSize} bytes)");
        }
        var entries = new List<MfsDirectoryEntry>();
        int slots = dir.FileSize / MfsDirectoryEntry.Size;
        int perBlock = BlockSize / MfsDirectoryEntry.Size;
        byte[] block = new byte[BlockSize];
        for (int slot = 0; slot < slots; slot++)
        {
            if (slot % perBlock == 0)
            {
                uint zone = MapBlock(dir, slot / perBlock);
                if (zone == 0)
                {
                    throw Error($"directory inode {dir.Number} has a hole at block {slot / perBlock} (directories have none)");
                }
                ReadBlock(zone, block);
            }
            ReadOnlySpan<byte> e = block.AsSpan(slot % perBlock * MfsDirectoryEntry.Size, MfsDirectoryEntry.Size);
            uint ino = BinaryPrimitives.ReadUInt32LittleEndian(e);
            if (ino != 0)
            {
                entries.Add(new MfsDirectoryEntry(DecodeName(e.Slice(4, MfsDirectoryEntry.NameMax)), ino, slot));
            }
        }
        return entries;
    }

    private static string DecodeName(ReadOnlySpan<byte> raw)
    {
        int end = raw.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? raw : raw[..end]);
    }

    /// <summary>The target of a symbolic link (stored in its first zone, i_size bytes).</summary>
    public string ReadLink(MfsInode link)
    {
        if (link.Type != MfsFileType.Symlink)
        {
            throw Error($"inode {link.Number} is not a symbolic link");
        }
        if (link.FileSize <= 0 || link.FileSize > BlockSize)
        {
            throw Error($"symbolic link inode {link.Number} has a bad size ({link.FileSize}; 1..{BlockSize} expected)");
        }
        byte[] data = ReadAll(link, BlockSize);
        return DecodeName(data);
    }

    /// <summary>Zeros in the zone bitmap: data zones not in use.</summary>
    public long FreeZones() => CountFree(Superblock.ZoneMapStart, Superblock.ZoneMapBits);

    /// <summary>Zeros in the inode bitmap: inodes not in use.</summary>
    public long FreeInodes() => CountFree(MfsSuperblock.InodeMapStart, Superblock.InodeMapBits);

    /// <summary>Counts clear bits 1..<paramref name="bits"/>-1 of a bitmap (bit 0 is reserved and always set).</summary>
    private long CountFree(uint start, long bits)
    {
        long used = 0;
        long bitsPerBlock = Superblock.BitsPerBlock;
        byte[] block = new byte[BlockSize];
        for (long first = 0; first < bits; first += bitsPerBlock)
        {
            ReadBlock(start + (uint)(first / bitsPerBlock), block);
            long inBlock = Math.Min(bitsPerBlock, bits - first);
            for (int i = 0; i < inBlock; i++)
            {
                if ((block[i >> 3] & (1 << (i & 7))) != 0)
                {
                    used++;
                }
            }
        }
        bool bit0 = (ReadBlock(start)[0] & 1) != 0;
        return bits - used - (bit0 ? 0 : 1);
    }

    /// <summary>The name of a file type for messages.</summary>
    public static string Describe(MfsFileType type) => type switch
    {
        MfsFileType.Regular => "regular file",
        MfsFileType.Directory => "directory",
        MfsFileType.Symlink => "symbolic link",
        MfsFileType.CharDevice => "character device",
        MfsFileType.BlockDevice => "block device",
        MfsFileType.Fifo => "named pipe",
        MfsFileType.Socket => "socket",
        _ => "file of unknown type",
    };
}
