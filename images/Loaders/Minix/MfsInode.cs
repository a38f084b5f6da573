using System.Buffers.Binary;

namespace Minix318Emu.Images.Minix;

/// <summary>
/// A V2/V3 disk inode (d2_inode, minix/fs/mfs/type.h), 64 bytes, little-endian:
/// <code>
///  0 u16 mode     type (top 4 bits) and permissions
///  2 u16 nlinks
///  4 i16 uid
///  6 u16 gid
///  8 i32 size
/// 12 u32 atime    seconds since 1970, UTC
/// 16 u32 mtime
/// 20 u32 ctime
/// 24 u32 zone[10] seven direct zones, the single-indirect and the double-indirect zone; the tenth is unused
/// </code>
/// Character and block special files keep their device number in zone[0].
/// </summary>
public sealed class MfsInode
{
    /// <summary>Bytes per disk inode.</summary>
    public const int Size = 64;

    /// <summary>Direct zones (V2_NR_DZONES).</summary>
    public const int DirectZones = 7;

    /// <summary>Zone slots (V2_NR_TZONES).</summary>
    public const int ZoneSlots = 10;

    /// <summary>The slot of the single-indirect zone.</summary>
    public const int SingleIndirect = DirectZones;

    /// <summary>The slot of the double-indirect zone.</summary>
    public const int DoubleIndirect = DirectZones + 1;

    /// <summary>A new inode numbered <paramref name="number"/>.</summary>
    public MfsInode(uint number) => Number = number;

    /// <summary>The inode number (1 is the root directory).</summary>
    public uint Number { get; }

    /// <summary>d2_mode: type and permission bits.</summary>
    public ushort Mode { get; set; }

    /// <summary>d2_nlinks.</summary>
    public ushort Links { get; set; }

    /// <summary>d2_uid.</summary>
    public short Uid { get; set; }

    /// <summary>d2_gid.</summary>
    public ushort Gid { get; set; }

    /// <summary>d2_size in bytes.</summary>
    public int FileSize { get; set; }

    /// <summary>d2_atime (seconds since 1970, UTC).</summary>
    public uint AccessTime { get; set; }

    /// <summary>d2_mtime.</summary>
    public uint ModifyTime { get; set; }

    /// <summary>d2_ctime.</summary>
    public uint ChangeTime { get; set; }

    /// <summary>d2_zone: the zone numbers.</summary>
    public uint[] Zones { get; } = new uint[ZoneSlots];

    /// <summary>The type from the mode.</summary>
    public MfsFileType Type => (Mode & 0xF000) switch
    {
        0x1000 => MfsFileType.Fifo,
        0x2000 => MfsFileType.CharDevice,
        0x4000 => MfsFileType.Directory,
        0x6000 => MfsFileType.BlockDevice,
        0x8000 => MfsFileType.Regular,
        0xA000 => MfsFileType.Symlink,
        0xC000 => MfsFileType.Socket,
        _ => MfsFileType.Unknown,
    };

    /// <summary>Whether the type's content lives in zones (files, directories, links; not devices).</summary>
    public bool HasZones => Type is MfsFileType.Regular or MfsFileType.Directory or MfsFileType.Symlink;

    /// <summary>The device number of a special file: MINIX's major in bits 8-15, minor in bits 0-7.</summary>
    public uint Device => Zones[0];

    /// <summary>Decodes <paramref name="b"/> (64 bytes).</summary>
    public static MfsInode Parse(uint number, ReadOnlySpan<byte> b)
    {
        var i = new MfsInode(number)
        {
            Mode = BinaryPrimitives.ReadUInt16LittleEndian(b),
            Links = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]),
            Uid = BinaryPrimitives.ReadInt16LittleEndian(b[4..]),
            Gid = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]),
            FileSize = BinaryPrimitives.ReadInt32LittleEndian(b[8..]),
            AccessTime = BinaryPrimitives.ReadUInt32LittleEndian(b[12..]),
            ModifyTime = BinaryPrimitives.ReadUInt32LittleEndian(b[16..]),
            ChangeTime = BinaryPrimitives.ReadUInt32LittleEndian(b[20..]),
        };
        for (int z = 0; z < ZoneSlots; z++)
        {
            i.Zones[z] = BinaryPrimitives.ReadUInt32LittleEndian(b[(24 + z * 4)..]);
        }
        return i;
    }

    /// <summary>Encodes the inode into <paramref name="b"/> (64 bytes).</summary>
    public void Write(Span<byte> b)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(b, Mode);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], Links);
        BinaryPrimitives.WriteInt16LittleEndian(b[4..], Uid);
        BinaryPrimitives.WriteUInt16LittleEndian(b[6..], Gid);
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], FileSize);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], AccessTime);
        BinaryPrimitives.WriteUInt32LittleEndian(b[16..], ModifyTime);
        BinaryPrimitives.WriteUInt32LittleEndian(b[20..], ChangeTime);
        for (int z = 0; z < ZoneSlots; z++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b[(24 + z * 4)..], Zones[z]);
        }
    }
}
