using System.Buffers.Binary;
using System.Text;

namespace Minix318Emu.Images.Minix;

/// <summary>
/// Writing a file the way MFS itself would leave it, so that MINIX's fsck.mfs finds nothing to
/// say: an inode taken from the inode bitmap, zones taken from the zone bitmap (zone z is bit
/// z - (s_firstdatazone - 1)), indirect blocks created as write_map() creates them, and the
/// name entered in the first free directory slot or appended, growing the directory by one
/// slot (search_dir(ENTER), minix/fs/mfs/path.c). Nothing reaches the image until every
/// block is ready; an error leaves it untouched.
/// </summary>
public sealed partial class MinixFileSystem
{
    private long _zoneSearch = 1;
    private long _inodeSearch = 1;

    /// <summary>
    /// Writes <paramref name="data"/> as the regular file <paramref name="path"/>: a new file in
    /// an existing directory (owner root, <paramref name="permissions"/>), or new contents for
    /// an existing regular file (its owner, mode and links kept). All three times are set to
    /// <paramref name="time"/>, and a new entry sets the directory's mtime and ctime to it too.
    /// </summary>
    public PutResult Put(string path, byte[] data, ushort permissions, uint time)
    {
        if (!Volume.Disk.CanWrite)
        {
            throw new InvalidOperationException($"{Volume.Disk.Name} was opened read-only");
        }
        if (MissingBlocks > 0)
        {
            throw Error($"the last {MissingBlocks} of the file system's {Superblock.Zones} blocks are missing (truncated image): not writing to it");
        }
        try
        {
            return PutPending(path, data, permissions, time);
        }
        catch
        {
            _pending.Clear();
            throw;
        }
    }

    private PutResult PutPending(string path, byte[] data, ushort permissions, uint time)
    {
        (MfsInode dir, string name) = ResolveParent(path);
        int nameBytes = Encoding.UTF8.GetByteCount(name);
        if (nameBytes > MfsDirectoryEntry.NameMax)
        {
            throw Error($"{path}: the name is {nameBytes} bytes long; MFS names hold at most {MfsDirectoryEntry.NameMax}");
        }
        if (name is "." or "..")
        {
            throw Error($"{path}: cannot write a file called {name}");
        }
        if (data.LongLength > int.MaxValue || data.LongLength > MaxAddressableBytes)
        {
            throw Error($"{path}: {data.LongLength} bytes is more than an MFS file holds ({Math.Min(int.MaxValue, MaxAddressableBytes)})");
        }

        MfsDirectoryEntry? existing = Lookup(dir, name);
        MfsInode inode;
        bool replaced = existing is not null;
        if (existing is not null)
        {
            inode = ReadInode(existing.Inode);
            if (inode.Type != MfsFileType.Regular)
            {
                throw Error($"{path} exists and is a {Describe(inode.Type)}");
            }
            ReleaseZones(inode);
        }
        else
        {
            long bit = AllocateBit(MfsSuperblock.InodeMapStart, Superblock.InodeMapBits, ref _inodeSearch);
            if (bit < 0)
            {
                throw Error($"{path}: no free inode (all {Superblock.Inodes} are in use)");
            }
            inode = new MfsInode((uint)bit) { Mode = (ushort)((int)MfsFileType.Regular | (permissions & 0xFFF)), Links = 1 };
        }

        long blocks = (data.LongLength + BlockSize - 1) / BlockSize;
        long needed = ZonesFor(blocks) + (existing is null ? DirectoryGrowth(dir) : 0);
        long free = FreeZones();
        if (needed > free)
        {
            throw Error($"{path}: no space left: {needed} zones needed, {free} free");
        }

        int zones = 0;
        for (long i = 0; i < blocks; i++)
        {
            uint zone = AllocateZone(path);
            zones++;
            zones += SetMap(inode, i, zone, path);
            byte[] b = NewBlock(zone);
            int count = (int)Math.Min(BlockSize, data.LongLength - i * BlockSize);
            data.AsSpan((int)(i * BlockSize), count).CopyTo(b);
        }
        inode.FileSize = data.Length;
        inode.AccessTime = inode.ModifyTime = inode.ChangeTime = time;
        WriteInode(inode);
        if (existing is null)
        {
            zones += EnterName(dir, name, inode.Number, path);
            dir.ModifyTime = dir.ChangeTime = time;
            WriteInode(dir);
        }
        int written = _pending.Count;
        Commit();
        return new PutResult(inode.Number, data.Length, zones, replaced, written);
    }

    /// <summary>Zones a file of <paramref name="blocks"/> blocks occupies: data plus indirect blocks.</summary>
    public long ZonesFor(long blocks)
    {
        long n = Superblock.Indirects;
        long zones = blocks;
        if (blocks > MfsInode.DirectZones)
        {
            zones++;
        }
        if (blocks > MfsInode.DirectZones + n)
        {
            zones += 1 + (blocks - MfsInode.DirectZones - n + n - 1) / n;
        }
        return zones;
    }

    /// <summary>Zones a new entry costs the directory: none when a slot is free or the block for the next slot exists.</summary>
    private long DirectoryGrowth(MfsInode dir)
    {
        int perBlock = BlockSize / MfsDirectoryEntry.Size;
        int slot = FirstFreeSlot(dir, dir.FileSize / MfsDirectoryEntry.Size, perBlock);
        long block = slot / perBlock;
        return MapBlock(dir, block) != 0 ? 0 : ZonesFor(block + 1) - ZonesFor(block);
    }

    /// <summary>Returns every zone of <paramref name="inode"/> (data and indirect) to the zone bitmap and clears its zone slots.</summary>
    private void ReleaseZones(MfsInode inode)
    {
        for (int i = 0; i < MfsInode.DirectZones; i++)
        {
            FreeZone(inode, CheckedZone(inode, inode.Zones[i], "data"));
        }
        uint single = CheckedZone(inode, inode.Zones[MfsInode.SingleIndirect], "single-indirect");
        if (single != 0)
        {
            FreeIndirect(inode, single, "data");
        }
        uint dbl = CheckedZone(inode, inode.Zones[MfsInode.DoubleIndirect], "double-indirect");
        if (dbl != 0)
        {
            byte[] b = ReadBlock(dbl);
            for (int s = 0; s < Superblock.Indirects; s++)
            {
                uint z = CheckedZone(inode, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(s * 4)), "single-indirect");
                if (z != 0)
                {
                    FreeIndirect(inode, z, "data");
                }
            }
            FreeZone(inode, dbl);
        }
        Array.Clear(inode.Zones);
    }

    private void FreeIndirect(MfsInode inode, uint zone, string kind)
    {
        byte[] b = ReadBlock(zone);
        for (int s = 0; s < Superblock.Indirects; s++)
        {
            FreeZone(inode, CheckedZone(inode, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(s * 4)), kind));
        }
        FreeZone(inode, zone);
    }

    private void FreeZone(MfsInode inode, uint zone)
    {
        if (zone == 0)
        {
            return;
        }
        long bit = zone - (Superblock.FirstDataZone - 1);
        if (!SetBit(Superblock.ZoneMapStart, bit, false))
        {
            throw Error($"inode {inode.Number}: zone {zone} is already free in the zone bitmap (the file system is inconsistent: run fsck)");
        }
    }

    private uint AllocateZone(string path)
    {
        long bit = AllocateBit(Superblock.ZoneMapStart, Superblock.ZoneMapBits, ref _zoneSearch);
        if (bit < 0)
        {
            throw Error($"{path}: no space left in the zone bitmap");
        }
        return (uint)(bit + Superblock.FirstDataZone - 1);
    }

    /// <summary>
    /// Puts <paramref name="zone"/> at block <paramref name="index"/> of the file, creating the
    /// single- and double-indirect blocks it needs (write_map()); returns how many it created.
    /// </summary>
    private int SetMap(MfsInode inode, long index, uint zone, string path)
    {
        long n = Superblock.Indirects;
        if (index < MfsInode.DirectZones)
        {
            inode.Zones[index] = zone;
            return 0;
        }
        index -= MfsInode.DirectZones;
        int created = 0;
        byte[] single;
        if (index < n)
        {
            single = IndirectForWrite(ref inode.Zones[MfsInode.SingleIndirect], ref created, path);
        }
        else
        {
            index -= n;
            byte[] dbl = IndirectForWrite(ref inode.Zones[MfsInode.DoubleIndirect], ref created, path);
            int slot = (int)(index / n);
            uint singleZone = BinaryPrimitives.ReadUInt32LittleEndian(dbl.AsSpan(slot * 4));
            single = IndirectForWrite(ref singleZone, ref created, path);
            BinaryPrimitives.WriteUInt32LittleEndian(dbl.AsSpan(slot * 4), singleZone);
            index %= n;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(single.AsSpan((int)index * 4), zone);
        return created;
    }

    private byte[] IndirectForWrite(ref uint zone, ref int created, string path)
    {
        if (zone == 0)
        {
            zone = AllocateZone(path);
            created++;
            return NewBlock(zone);
        }
        return BlockForWrite(zone);
    }

    /// <summary>Enters <paramref name="name"/> in <paramref name="dir"/> as search_dir(ENTER) does; returns the zones it added.</summary>
    private int EnterName(MfsInode dir, string name, uint inode, string path)
    {
        int slots = dir.FileSize / MfsDirectoryEntry.Size;
        int perBlock = BlockSize / MfsDirectoryEntry.Size;
        int slot = FirstFreeSlot(dir, slots, perBlock);
        int created = 0;
        uint zone = MapBlock(dir, slot / perBlock);
        if (zone == 0)
        {
            if ((long)(slot + 1) * MfsDirectoryEntry.Size > MaxDirectoryBytes)
            {
                throw Error($"{path}: the directory is full ({slots} entries)");
            }
            zone = AllocateZone(path);
            created++;
            created += SetMap(dir, slot / perBlock, zone, path);
            NewBlock(zone);
        }
        byte[] b = BlockForWrite(zone);
        Span<byte> entry = b.AsSpan(slot % perBlock * MfsDirectoryEntry.Size, MfsDirectoryEntry.Size);
        entry.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(entry, inode);
        Encoding.UTF8.GetBytes(name, entry[4..]);
        if (slot >= slots)
        {
            dir.FileSize = (slot + 1) * MfsDirectoryEntry.Size;
        }
        return created;
    }

    /// <summary>The first slot whose inode is 0, or the slot after the last one.</summary>
    private int FirstFreeSlot(MfsInode dir, int slots, int perBlock)
    {
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
            if (BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(slot % perBlock * MfsDirectoryEntry.Size)) == 0)
            {
                return slot;
            }
        }
        return slots;
    }

    private void WriteInode(MfsInode inode)
    {
        (uint block, int offset) = InodeLocation(inode.Number);
        inode.Write(BlockForWrite(block).AsSpan(offset, MfsInode.Size));
    }

    /// <summary>The pending copy of a block, read from the image the first time.</summary>
    private byte[] BlockForWrite(uint block)
    {
        if (!_pending.TryGetValue(block, out byte[]? b))
        {
            b = ReadBlock(block);
            _pending[block] = b;
        }
        return b;
    }

    /// <summary>A zero-filled pending block (a zone just allocated: MFS zeroes new zones too).</summary>
    private byte[] NewBlock(uint block)
    {
        var b = new byte[BlockSize];
        _pending[block] = b;
        return b;
    }

    /// <summary>
    /// Takes the first clear bit at or after <paramref name="search"/> (wrapping to bit 1), sets
    /// it, and moves the search on, as alloc_bit() does; -1 when the map is full.
    /// </summary>
    private long AllocateBit(uint start, long bits, ref long search)
    {
        for (long pass = 0, bit = Math.Clamp(search, 1, bits - 1); pass < bits; pass++, bit++)
        {
            if (bit >= bits)
            {
                bit = 1;
            }
            if (!GetBit(start, bit))
            {
                SetBit(start, bit, true);
                search = bit + 1;
                return bit;
            }
        }
        return -1;
    }

    private bool GetBit(uint start, long bit)
    {
        uint block = start + (uint)(bit / Superblock.BitsPerBlock);
        int within = (int)(bit % Superblock.BitsPerBlock);
        byte value = _pending.TryGetValue(block, out byte[]? b) ? b[within >> 3] : ReadByte(block, within >> 3);
        return (value & (1 << (within & 7))) != 0;
    }

    private byte ReadByte(uint block, int offset)
    {
        Span<byte> one = stackalloc byte[1];
        Volume.Read((long)block * BlockSize + offset, one);
        return one[0];
    }

    /// <summary>Sets or clears a bit; returns whether it changed.</summary>
    private bool SetBit(uint start, long bit, bool value)
    {
        uint block = start + (uint)(bit / Superblock.BitsPerBlock);
        int within = (int)(bit % Superblock.BitsPerBlock);
        byte[] b = BlockForWrite(block);
        byte mask = (byte)(1 << (within & 7));
        bool was = (b[within >> 3] & mask) != 0;
        b[within >> 3] = value ? (byte)(b[within >> 3] | mask) : (byte)(b[within >> 3] & ~mask);
        return was != value;
    }

    /// <summary>Writes every pending block to the image, in block order, and flushes it.</summary>
    private void Commit()
    {
        foreach (uint block in _pending.Keys.Order())
        {
            Volume.Write((long)block * BlockSize, _pending[block]);
        }
        _pending.Clear();
        if (Volume.Disk is Disk.DiskFile f)
        {
            f.Flush();
        }
    }
}
