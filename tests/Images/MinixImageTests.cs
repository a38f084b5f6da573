using System.Buffers.Binary;
using System.Text;
using Minix318Emu.Images;
using Minix318Emu.Images.Disk;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Images;

/// <summary>
/// The partition tables and the MINIX file system reader and writer on the real self-booting
/// disk (../shared/minix/disk-boot.img): what MINIX's mkfs and installer wrote must read back as
/// the files the distribution holds, and each kind of damage must be named in one line.
/// </summary>
public sealed class MinixImageTests
{
    private const long PartitionOffset = 32 * 512;   // p0 starts at sector 32

    private static byte[] BootDiskBytes() => File.ReadAllBytes(RealMinix.BootDisk(RealMinix.Require()));

    private static MinixFileSystem Open(byte[] image) => MinixDisk.Open(new MemoryDisk("boot.img", image)).OpenFileSystem();

    /// <summary>The byte offset of inode <paramref name="ino"/> in the disk image.</summary>
    private static long InodeOffset(MinixFileSystem fs, uint ino) =>
        PartitionOffset + (long)fs.Superblock.InodeTableStart * fs.BlockSize + (ino - 1) * (long)MfsInode.Size;

    [SkippableFact]
    public void BootDisk_HasOneActiveMinixPartition_WithTheGeometryMkfsWrote()
    {
        using MinixDisk disk = MinixDisk.Open(RealMinix.BootDisk(RealMinix.Require()), writable: false);
        PartitionEntry p = Assert.Single(disk.Partitions!.Entries);
        Assert.Equal(("p0", true, (byte)0x81, 32u, 131040u, PartitionOffset, 131040L * 512, false),
            (p.Name, p.Active, p.Type, p.FirstSector, p.Sectors, p.Offset, p.Length, p.Clamped));
        MinixFileSystem fs = disk.OpenFileSystem();
        MfsSuperblock sb = fs.Superblock;
        Assert.Equal((4096, 32768u, 16380u, 2, 1, 517u, true), (sb.BlockSize, sb.Inodes, sb.Zones, sb.InodeMapBlocks, sb.ZoneMapBlocks, sb.FirstDataZone, sb.Clean));
        Assert.Equal(5u, sb.InodeTableStart);
        Assert.Equal(512u, sb.InodeTableBlocks);
    }

    [SkippableFact]
    public void KernelAndModules_ReadBackAsTheDistributionsFiles()
    {
        MinixDistribution d = RealMinix.Require();
        using MinixDisk disk = MinixDisk.Open(RealMinix.BootDisk(d), writable: false);
        MinixFileSystem fs = disk.OpenFileSystem();
        foreach (string file in d.Modules.Append(d.Kernel))
        {
            MfsInode inode = fs.Resolve("/boot/minix_default/" + Path.GetFileName(file));
            Assert.Equal(File.ReadAllBytes(file), fs.ReadAll(inode, 8 << 20));   // mod06_memory (4 MB) goes through the single-indirect block
        }
        Assert.StartsWith("banner=MINIX 3.4", Encoding.ASCII.GetString(fs.ReadAll(fs.Resolve("/boot.cfg"), 4096)));
    }

    [SkippableFact]
    public void SymbolicLinks_AreFollowedInsideAPath_AndOnlyOnRequestAtItsEnd()
    {
        using MinixDisk disk = MinixDisk.Open(RealMinix.BootDisk(RealMinix.Require()), writable: false);
        MinixFileSystem fs = disk.OpenFileSystem();
        MfsInode link = fs.Resolve("/boot/minix_latest", followFinal: false);
        Assert.Equal(MfsFileType.Symlink, link.Type);
        Assert.Equal("minix_default", fs.ReadLink(link));
        Assert.Equal(fs.Resolve("/boot/minix_default").Number, fs.Resolve("/boot/minix_latest").Number);
        Assert.Equal(fs.Resolve("/boot/minix_default/kernel").Number, fs.Resolve("/boot/minix_latest/../minix_latest/./kernel").Number);
        var e = Assert.Throws<ImageFormatException>(() => fs.Resolve("/boot.cfg/x"));
        Assert.Equal($"{disk.Disk.Name}: p0: /boot.cfg/x: /boot.cfg is not a directory", e.Message);
        e = Assert.Throws<ImageFormatException>(() => fs.Resolve("/boot/nothing/kernel"));
        Assert.Equal($"{disk.Disk.Name}: p0: /boot/nothing/kernel: no such file or directory (/boot/nothing is missing)", e.Message);
    }

    [SkippableFact]
    public void BadMagic_IsNamed()
    {
        byte[] image = BootDiskBytes();
        image[PartitionOffset + 1024 + 24] = 0;
        image[PartitionOffset + 1024 + 25] = 0;
        var disk = MinixDisk.Open(new MemoryDisk("boot.img", image));
        var e = Assert.Throws<ImageFormatException>(() => MinixFileSystem.Open(disk.SelectVolume("p0")));
        Assert.Equal("boot.img: p0: bad magic 0x0000 in the superblock (MINIX file system v3 has 0x4D5A)", e.Message);
        e = Assert.Throws<ImageFormatException>(() => disk.OpenFileSystem());
        Assert.Equal("boot.img: no MINIX v3 file system on any partition (p0 type 0x81)", e.Message);
        image[PartitionOffset + 1024 + 24] = 0x68;   // 0x2468: V2
        image[PartitionOffset + 1024 + 25] = 0x24;
        e = Assert.Throws<ImageFormatException>(() => MinixFileSystem.Open(disk.SelectVolume("p0")));
        Assert.Equal("boot.img: p0: a MINIX V2 file system: only V3 is supported", e.Message);
    }

    [SkippableFact]
    public void ZoneOutOfRange_IsNamedWithTheInodeAndTheDataArea()
    {
        byte[] image = BootDiskBytes();
        MinixFileSystem fs = Open(image);
        uint ino = fs.Resolve("/boot.cfg").Number;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)InodeOffset(fs, ino) + 24), 99999);
        fs = Open(image);
        var e = Assert.Throws<ImageFormatException>(() => fs.ReadAll(fs.Resolve("/boot.cfg"), 4096));
        Assert.Equal($"boot.img: p0: inode {ino}: data zone 99999 out of range (data zones are 517..16379)", e.Message);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)InodeOffset(fs, ino) + 24), 3);   // inside the inode table
        e = Assert.Throws<ImageFormatException>(() => Open(image).ReadAll(fs.Resolve("/boot.cfg"), 4096));
        Assert.Equal($"boot.img: p0: inode {ino}: data zone 3 out of range (data zones are 517..16379)", e.Message);
    }

    [SkippableFact]
    public void SymlinkLoop_IsALoopInAPath()
    {
        byte[] image = BootDiskBytes();
        MinixFileSystem fs = Open(image);
        MfsInode link = fs.Resolve("/boot/minix_latest", followFinal: false);
        long target = PartitionOffset + (long)link.Zones[0] * fs.BlockSize;
        Encoding.ASCII.GetBytes("minix_latest\0").CopyTo(image, target);          // the link names itself
        BinaryPrimitives.WriteInt32LittleEndian(image.AsSpan((int)InodeOffset(fs, link.Number) + 8), 12);
        fs = Open(image);
        var e = Assert.Throws<ImageFormatException>(() => fs.Resolve("/boot/minix_latest/kernel"));
        Assert.Equal("boot.img: p0: /boot/minix_latest/kernel: loop in a path (more than 16 symbolic links)", e.Message);
    }

    [SkippableTheory]
    [InlineData("/", "loop in a path: /home/up is directory inode 1, which is also its ancestor (the start)")]
    [InlineData("/boot", "/home/up is a second link to directory inode 28 (first /boot)")]
    public void DirectoryLinkedTwice_IsNamed_AsALoopInAPathWhenBelowItself(string target, string message)
    {
        byte[] image = BootDiskBytes();
        MinixFileSystem fs = Open(image);
        MfsInode home = fs.Resolve("/home");
        long entry = PartitionOffset + (long)home.Zones[0] * fs.BlockSize + 2 * MfsDirectoryEntry.Size;   // the slot after . and ..
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)entry), fs.Resolve(target).Number);
        Encoding.ASCII.GetBytes("up").CopyTo(image, entry + 4);
        BinaryPrimitives.WriteInt32LittleEndian(image.AsSpan((int)InodeOffset(fs, home.Number) + 8), 3 * MfsDirectoryEntry.Size);
        fs = Open(image);
        var e = Assert.Throws<ImageFormatException>(() => MfsTree.Walk(fs, "", fs.Resolve("/"), _ => { }));
        Assert.Equal("boot.img: p0: " + message, e.Message);
    }

    [SkippableFact]
    public void TruncatedImage_ReadsWhatIsThere_AndNamesTheMissingBlock()
    {
        byte[] image = BootDiskBytes();
        MinixFileSystem whole = Open(image);
        MfsInode cfg = whole.Resolve("/boot.cfg");
        uint cut = cfg.Zones[0] + 1;                      // the image ends just after /boot.cfg's block
        var late = new List<(MfsTreeItem Item, uint Block)>();
        MfsTree.Walk(whole, "", whole.Resolve("/"), item =>
        {
            for (long b = 0; item.Inode.Type == MfsFileType.Regular && b * whole.BlockSize < item.Inode.FileSize; b++)
            {
                uint z = whole.MapBlock(item.Inode, b);
                if (z >= cut)
                {
                    late.Add((item, z));
                    break;
                }
            }
        });
        (MfsTreeItem victim, uint missing) = late.First();
        MinixFileSystem fs = Open(image.AsSpan(0, (int)(PartitionOffset + (long)cut * whole.BlockSize)).ToArray());
        Assert.Equal(16380 - cut, fs.MissingBlocks);
        Assert.Equal(whole.ReadAll(cfg, 4096), fs.ReadAll(fs.Resolve("/boot.cfg"), 4096));
        var e = Assert.Throws<ImageFormatException>(() => fs.ReadAll(fs.Resolve(victim.Path), 8 << 20));
        Assert.Equal($"boot.img: p0: truncated: block {missing} lies beyond the end of the partition ({cut} of the file system's 16380 blocks are there)", e.Message);
        e = Assert.Throws<ImageFormatException>(() => fs.Put("/tmp/x", [1], 0x1A4, 0));
        Assert.Equal($"boot.img: p0: the last {16380 - cut} of the file system's 16380 blocks are missing (truncated image): not writing to it", e.Message);
    }

    [Fact]
    public void ForeignImages_AreNamed()
    {
        var e = Assert.Throws<ImageFormatException>(() => MinixDisk.Open(new MemoryDisk("zero.img", new byte[4096])));
        Assert.Equal("zero.img: neither a partitioned disk (no 0x55AA signature in sector 0) nor a MINIX v3 file system (no magic 0x4D5A at byte 1048)", e.Message);
        e = Assert.Throws<ImageFormatException>(() => MinixDisk.Open(new MemoryDisk("tiny.img", new byte[100])));
        Assert.Equal("tiny.img: too small for a disk (100 bytes)", e.Message);
        string gz = Path.Combine(Path.GetTempPath(), $"minix318emu-{Guid.NewGuid():N}.img.gz");
        File.WriteAllBytes(gz, [0x1F, 0x8B, 8, 0]);
        try
        {
            e = Assert.Throws<ImageFormatException>(() => MinixDisk.Open(gz, writable: false));
            Assert.Equal($"{gz}: gzip-compressed: decompress it first (gzip -dc FILE > FILE.img)", e.Message);
        }
        finally
        {
            File.Delete(gz);
        }
    }

    [SkippableFact]
    public void PrimaryPartitions_AreSortedAndClamped_AndMinixSubPartitionsAreFound()
    {
        // A disk as MINIX's installer lays out sub-partitions: the MBR's slot 0 is a FAT partition
        // behind the MINIX one (so sorting makes the MINIX one p0), the MINIX partition's first
        // sector holds a sub-partition table whose s1 is the real file system, and slot 3 runs
        // past the end of the disk.
        byte[] fsBytes = BootDiskBytes().AsSpan((int)PartitionOffset, 131040 * 512).ToArray();
        const uint minixStart = 64, fsStart = 128;
        uint minixSectors = fsStart - minixStart + 131040;
        var image = new byte[(minixStart + minixSectors + 100) * 512];
        fsBytes.CopyTo(image, fsStart * 512);
        WriteEntry(image, 0, 0, 0, 0x06, minixStart + minixSectors, 100);
        WriteEntry(image, 0, 1, 0x80, 0x81, minixStart, minixSectors);
        WriteEntry(image, 0, 3, 0, 0x83, minixStart + minixSectors + 50, 1000);
        image[510] = 0x55;
        image[511] = 0xAA;
        WriteEntry(image, minixStart, 0, 0, 0x81, minixStart + 1, 10);
        WriteEntry(image, minixStart, 1, 0, 0x81, fsStart, 131040);
        image[minixStart * 512 + 510] = 0x55;
        image[minixStart * 512 + 511] = 0xAA;

        using MinixDisk disk = MinixDisk.Open(new MemoryDisk("sub.img", image));
        Assert.Equal(["p0", "p0s0", "p0s1", "p1", "p2"], disk.Volumes.Select(v => v.Name));
        PartitionEntry p0 = disk.Volumes[0].Partition!;
        Assert.Equal((1, (byte)0x81, true), (p0.Slot, p0.Type, p0.Active));
        PartitionEntry p2 = disk.Volumes[4].Partition!;
        Assert.Equal((3, true, 50L * 512), (p2.Slot, p2.Clamped, p2.Length));
        Assert.Equal("p0s1", disk.SelectVolume(null).Name);
        MinixFileSystem fs = disk.OpenFileSystem();
        Assert.Equal("minix_default", fs.ReadLink(fs.Resolve("/boot/minix_latest", followFinal: false)));
        var e = Assert.Throws<ImageFormatException>(() => disk.SelectVolume("p3"));
        Assert.Equal("sub.img: no volume p3 (the image has p0 type 0x81, p0s0 type 0x81, p0s1 type 0x81, p1 type 0x06, p2 type 0x83)", e.Message);
    }

    private static void WriteEntry(byte[] image, uint tableSector, int slot, byte boot, byte type, uint first, uint sectors)
    {
        Span<byte> e = image.AsSpan((int)(tableSector * 512 + 446 + slot * 16), 16);
        e[0] = boot;
        e[4] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(e[8..], first);
        BinaryPrimitives.WriteUInt32LittleEndian(e[12..], sectors);
    }

    [SkippableFact]
    public void Put_TakesTheFirstFreeInodeAndZones_AndReadsBackThroughDoubleIndirectZones()
    {
        byte[] image = BootDiskBytes();
        MinixFileSystem fs = Open(image);
        long zones = fs.FreeZones(), inodes = fs.FreeInodes();
        byte[] big = new byte[5_000_000];
        new Random(7).NextBytes(big);
        PutResult r = fs.Put("/root/big.bin", big, 0x1A4, 1_767_225_600);
        Assert.Equal((1221 + 1 + 1 + 1, false), (r.Zones, r.Replaced));   // data, single-indirect, double-indirect, one single under it
        Assert.Equal((zones - 1224, inodes - 1), (fs.FreeZones(), fs.FreeInodes()));

        fs = Open(image);   // from the image, not from memory
        MfsInode inode = fs.Resolve("/root/big.bin");
        Assert.Equal((r.Inode, (ushort)0x81A4, (ushort)1, 5_000_000, 1_767_225_600u), (inode.Number, inode.Mode, inode.Links, inode.FileSize, inode.ModifyTime));
        Assert.NotEqual(0u, inode.Zones[MfsInode.DoubleIndirect]);
        Assert.Equal(big, fs.ReadAll(inode, big.Length));
        Assert.Equal(1_767_225_600u, fs.Resolve("/root").ModifyTime);

        PutResult again = fs.Put("/root/big.bin", "short"u8.ToArray(), 0x1FF, 5);
        Assert.Equal((r.Inode, true, 1), (again.Inode, again.Replaced, again.Zones));
        Assert.Equal((zones - 1, inodes - 1), (fs.FreeZones(), fs.FreeInodes()));   // the 1224 came back, one was taken
        inode = Open(image).Resolve("/root/big.bin");
        Assert.Equal(((ushort)0x81A4, 5), (inode.Mode, inode.FileSize));         // a replaced file keeps its mode
    }

    [SkippableFact]
    public void Put_FillsAFreedSlot_ThenGrowsTheDirectoryByAZone()
    {
        byte[] image = BootDiskBytes();
        MinixFileSystem fs = Open(image);
        MfsInode tmp = fs.Resolve("/tmp");
        Assert.Equal(2 * MfsDirectoryEntry.Size, tmp.FileSize);   // . and ..
        for (int i = 0; i < 70; i++)
        {
            fs.Put($"/tmp/f{i:00}", Encoding.ASCII.GetBytes($"file {i}\n"), 0x1A4, 0);
        }
        fs = Open(image);
        tmp = fs.Resolve("/tmp");
        Assert.Equal(72 * MfsDirectoryEntry.Size, tmp.FileSize);
        Assert.NotEqual(0u, tmp.Zones[1]);                       // 64 slots per 4 KiB block: a second zone
        Assert.Equal("file 69\n", Encoding.ASCII.GetString(fs.ReadAll(fs.Resolve("/tmp/f69"), 100)));

        // Free slot 10 as MFS's unlink does (inode number 0), then put: the slot is reused, the size stays.
        long slot10 = PartitionOffset + (long)tmp.Zones[0] * fs.BlockSize + 10 * MfsDirectoryEntry.Size;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)slot10), 0);
        fs = Open(image);
        fs.Put("/tmp/reused", "x"u8.ToArray(), 0x1A4, 0);
        fs = Open(image);
        Assert.Equal(72 * MfsDirectoryEntry.Size, fs.Resolve("/tmp").FileSize);
        Assert.Equal(10, fs.ReadDirectory(fs.Resolve("/tmp")).Single(e => e.Name == "reused").Slot);
    }

    [SkippableFact]
    public void Put_Refusals_LeaveTheImageUntouched()
    {
        byte[] image = BootDiskBytes();
        byte[] before = (byte[])image.Clone();
        MinixFileSystem fs = Open(image);
        (string Path, byte[] Data, string Message)[] cases =
        [
            ("/nowhere/x", [1], "/nowhere/x: no such file or directory (/nowhere is missing)"),
            ("/boot", [1], "/boot exists and is a directory"),
            ("/boot/minix_latest", [1], "/boot/minix_latest exists and is a symbolic link"),
            ("/boot.cfg/x", [1], "/boot.cfg/x: /boot.cfg is not a directory"),
            ("/tmp/" + new string('n', 61), [1], $"/tmp/{new string('n', 61)}: the name is 61 bytes long; MFS names hold at most 60"),
            ("/", [1], "/: names the root directory, not a file in it"),
            ("/tmp/huge", new byte[40 << 20], $"/tmp/huge: no space left: 10251 zones needed, {fs.FreeZones()} free"),   // 10 240 data, 1 + 1 + 9 indirect
        ];
        foreach ((string path, byte[] data, string message) in cases)
        {
            var e = Assert.Throws<ImageFormatException>(() => fs.Put(path, data, 0x1A4, 0));
            Assert.Equal("boot.img: p0: " + message, e.Message);
        }
        Assert.True(before.AsSpan().SequenceEqual(image), "a refused put changed the image");
    }
}
