using System.Buffers.Binary;

namespace Minix318Emu.Images.Minix;

/// <summary>
/// The MINIX file system v3 superblock, 1024 bytes into the file system, validated the way
/// MFS's read_super() and fsck.mfs's chksuper() do (minix/fs/mfs/super.c,
/// minix/commands/fsck.mfs/fsck.c). Layout (little-endian):
/// <code>
///  0 u32 s_ninodes        usable inodes (inode 0 exists on disk but is never used)
///  4 u16 s_nzones         V1 zone count, 0 on V3
///  6 i16 s_imap_blocks    inode bitmap blocks, from block 2
///  8 i16 s_zmap_blocks    zone bitmap blocks, after the inode bitmap
/// 10 u16 s_firstdatazone_old   first data zone, 0 when too large for 16 bits (then computed)
/// 12 i16 s_log_zone_size  log2(blocks per zone); MFS only accepts 0
/// 14 u16 s_flags          bit 0 MFSFLAG_CLEAN; 0xFF00 are mandatory features
/// 16 i32 s_max_size       largest file size
/// 20 u32 s_zones          zones (= blocks) in the file system, bitmaps and inodes included
/// 24 u16 s_magic          0x4D5A for V3
/// 26 i16 s_pad2
/// 28 u16 s_block_size     bytes per block
/// 30 u8  s_disk_version   0
/// </code>
/// </summary>
public sealed class MfsSuperblock
{
    /// <summary>Byte offset of the superblock in the file system.</summary>
    public const int Offset = 1024;

    /// <summary>Bytes of the superblock MFS keeps on disk (up to s_disk_version).</summary>
    public const int OnDiskBytes = 31;

    /// <summary>The V3 magic number.</summary>
    public const ushort MagicV3 = 0x4D5A;

    /// <summary>The clean-unmount flag.</summary>
    public const ushort FlagClean = 1;

    private const ushort MagicV1 = 0x137F;
    private const ushort MagicV1Long = 0x138F;
    private const ushort MagicV2 = 0x2468;
    private const ushort MagicV2Long = 0x2478;
    private const ushort MandatoryFlags = 0xFF00;

    private MfsSuperblock(uint inodes, int imapBlocks, int zmapBlocks, ushort firstStored, uint first, ushort flags, int maxSize, uint zones, int blockSize, byte diskVersion)
    {
        Inodes = inodes;
        InodeMapBlocks = imapBlocks;
        ZoneMapBlocks = zmapBlocks;
        FirstDataZoneStored = firstStored;
        FirstDataZone = first;
        Flags = flags;
        MaxSize = maxSize;
        Zones = zones;
        BlockSize = blockSize;
        DiskVersion = diskVersion;
    }

    /// <summary>s_ninodes.</summary>
    public uint Inodes { get; }

    /// <summary>s_imap_blocks.</summary>
    public int InodeMapBlocks { get; }

    /// <summary>s_zmap_blocks.</summary>
    public int ZoneMapBlocks { get; }

    /// <summary>The first data zone: s_firstdatazone_old, or computed when that is 0.</summary>
    public uint FirstDataZone { get; }

    /// <summary>s_firstdatazone_old as stored.</summary>
    public ushort FirstDataZoneStored { get; }

    /// <summary>s_flags.</summary>
    public ushort Flags { get; }

    /// <summary>s_max_size.</summary>
    public int MaxSize { get; }

    /// <summary>s_zones.</summary>
    public uint Zones { get; }

    /// <summary>s_block_size.</summary>
    public int BlockSize { get; }

    /// <summary>s_disk_version.</summary>
    public byte DiskVersion { get; }

    /// <summary>Inodes per block (64-byte inodes).</summary>
    public int InodesPerBlock => BlockSize / MfsInode.Size;

    /// <summary>Zone numbers per indirect block.</summary>
    public int Indirects => BlockSize / 4;

    /// <summary>First block of the inode bitmap.</summary>
    public static uint InodeMapStart => 2;

    /// <summary>First block of the zone bitmap.</summary>
    public uint ZoneMapStart => InodeMapStart + (uint)InodeMapBlocks;

    /// <summary>First block of the inode table.</summary>
    public uint InodeTableStart => ZoneMapStart + (uint)ZoneMapBlocks;

    /// <summary>Blocks of the inode table.</summary>
    public uint InodeTableBlocks => (uint)((Inodes + (ulong)InodesPerBlock - 1) / (ulong)InodesPerBlock);

    /// <summary>Bits per bitmap block.</summary>
    public long BitsPerBlock => (long)BlockSize * 8;

    /// <summary>Bits used in the zone bitmap: bit 0 (always set) plus one per data zone (alloc_bit's map_bits).</summary>
    public long ZoneMapBits => (long)Zones - (FirstDataZone - 1);

    /// <summary>Bits used in the inode bitmap: bit 0 (inode 0, always set) plus one per inode.</summary>
    public long InodeMapBits => (long)Inodes + 1;

    /// <summary>Whether the file system was unmounted cleanly.</summary>
    public bool Clean => (Flags & FlagClean) != 0;

    /// <summary>Decodes and checks the superblock; <paramref name="error"/> makes the exception for a problem.</summary>
    public static MfsSuperblock Parse(ReadOnlySpan<byte> b, Func<string, Exception> error)
    {
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(b[24..]);
        switch (magic)
        {
            case MagicV3:
                break;
            case MagicV1 or MagicV1Long:
                throw error("a MINIX V1 file system: only V3 is supported");
            case MagicV2 or MagicV2Long:
                throw error("a MINIX V2 file system: only V3 is supported");
            default:
                throw error($"bad magic 0x{magic:X4} in the superblock (MINIX file system v3 has 0x{MagicV3:X4})");
        }
        uint inodes = BinaryPrimitives.ReadUInt32LittleEndian(b);
        int imapBlocks = BinaryPrimitives.ReadInt16LittleEndian(b[6..]);
        int zmapBlocks = BinaryPrimitives.ReadInt16LittleEndian(b[8..]);
        ushort firstStored = BinaryPrimitives.ReadUInt16LittleEndian(b[10..]);
        short logZone = BinaryPrimitives.ReadInt16LittleEndian(b[12..]);
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(b[14..]);
        int maxSize = BinaryPrimitives.ReadInt32LittleEndian(b[16..]);
        uint zones = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]);
        int blockSize = BinaryPrimitives.ReadUInt16LittleEndian(b[28..]);
        if (logZone != 0)
        {
            throw error($"zones of 2^{logZone} blocks (s_log_zone_size {logZone}): MFS only supports zones of one block");
        }
        if (blockSize < 1024 || blockSize > 32768 || blockSize % 512 != 0)
        {
            throw error($"bad block size {blockSize} in the superblock (expected a multiple of 512 from 1024 to 32768)");
        }
        if ((flags & MandatoryFlags) != 0)
        {
            throw error($"unsupported mandatory feature flags 0x{flags & MandatoryFlags:X4} in the superblock");
        }
        if (inodes < 1 || imapBlocks < 1 || zmapBlocks < 1 || zones < 1)
        {
            throw error($"empty geometry in the superblock (inodes {inodes}, inode map blocks {imapBlocks}, zone map blocks {zmapBlocks}, zones {zones})");
        }
        long bitsPerBlock = (long)blockSize * 8;
        if (imapBlocks * bitsPerBlock < (long)inodes + 1)
        {
            throw error($"inode map of {imapBlocks} block(s) is too small for {inodes} inodes");
        }
        long inodesPerBlock = blockSize / MfsInode.Size;
        long afterInodes = InodeMapStart + imapBlocks + zmapBlocks + ((long)inodes + inodesPerBlock - 1) / inodesPerBlock;
        long first = firstStored != 0 ? firstStored : afterInodes;
        if (first < afterInodes || first >= zones)
        {
            throw error($"first data zone {first} is out of range (the inode table ends at block {afterInodes}, the file system has {zones} zones)");
        }
        if (zmapBlocks * bitsPerBlock < zones - (first - 1))
        {
            throw error($"zone map of {zmapBlocks} block(s) is too small for {zones - first} data zones");
        }
        return new MfsSuperblock(inodes, imapBlocks, zmapBlocks, firstStored, (uint)first, flags, maxSize, zones, blockSize, b[30]);
    }
}
