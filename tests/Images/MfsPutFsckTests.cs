using Minix318Emu.Cli.Configuration;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Images;

/// <summary>
/// `image put` checked by MINIX itself: files written into a copy of the self-booting disk are
/// attached as the second IDE disk of the real MINIX, whose own fsck_mfs must find that file
/// system clean, and whose MFS must read the files back byte for byte (cksum). The files take
/// direct, single- and double-indirect zones, replace a file (its zones go back to the map),
/// and grow a directory past its first block.
/// </summary>
public sealed class MfsPutFsckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-put-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void FilesWrittenByPut_AreCleanForMinixFsck_AndReadBackByMinix()
    {
        MinixDistribution d = RealMinix.Require();
        string image = Path.Combine(_dir, "put.img");
        File.Copy(RealMinix.BootDisk(d), image);
        var rng = new Random(13);
        byte[] big = new byte[5_000_000];       // > 7 + 1024 blocks: direct, single- and double-indirect zones
        rng.NextBytes(big);
        byte[] small = "written by minix318emu image put\n"u8.ToArray();
        byte[] middle = new byte[40_000];        // direct and single-indirect
        rng.NextBytes(middle);
        long freeZones, freeInodes;
        using (MinixDisk disk = MinixDisk.Open(image, writable: true))
        {
            MinixFileSystem fs = disk.OpenFileSystem();
            fs.Put("/root/big.bin", big, 0x1A4, 1_767_225_600);
            fs.Put("/root/hello.txt", small, 0x1A4, 1_767_225_600);
            fs.Put("/etc/middle.bin", middle, 0x1ED, 1_767_225_600);
            fs.Put("/etc/middle.bin", small, 0x1ED, 1_767_225_600);   // replaced: its zones go back to the map
            fs.Put("/etc/middle.bin", middle, 0x1ED, 1_767_225_600);
            for (int i = 0; i < 70; i++)                                 // /root grows past one directory block
            {
                fs.Put($"/root/f{i:00}", [(byte)i], 0x1A4, 1_767_225_600);
            }
            freeZones = fs.FreeZones();
            freeInodes = fs.FreeInodes();
        }

        const string Fsck = "/sbin/fsck_mfs /dev/c0d1p0; echo fsck-status=$?";
        const string ReadBack = "mount /dev/c0d1p0 /mnt >/dev/null && cksum /mnt/root/big.bin /mnt/etc/middle.bin && cat /mnt/root/hello.txt && ls /mnt/root | wc -l";
        EmulatorSettings settings = MinixSession.Settings(d, RealMinix.RootDisk(d), Path.Combine(_dir, "console.txt"));
        settings.Disks.Add(image + ",slot=primary-slave");
        MinixSession.Outcome o = MinixSession.Run(settings, MinixScript.LoginRunPowerOff(Fsck, ReadBack));
        Assert.True(o.Result.Reason == StopReason.PowerOff, $"{o.Result.Message}; console:\n{o.Console}");

        string fsck = MinixSession.OutputOf(o.Console, Fsck);
        Assert.Contains("Checking zone map", fsck);
        Assert.Contains("Checking inode list", fsck);
        foreach (string complaint in new[] { "missing", "not free", "bad", "INODE NLINK COUNT", "not cleared", "size not updated", "out-of-range", "duplicate", "warning" })
        {
            Assert.DoesNotContain(complaint, fsck);
        }
        Assert.Contains("fsck-status=0", fsck);
        Assert.Contains($"{freeInodes,8}    Free inodes", fsck);   // `image info` counts what fsck counts
        Assert.Contains($"{freeZones,8}    Free zones", fsck);
        string readBack = MinixSession.OutputOf(o.Console, ReadBack);
        Assert.Contains($"{PosixCksum(big)} {big.Length} /mnt/root/big.bin", readBack);
        Assert.Contains($"{PosixCksum(middle)} {middle.Length} /mnt/etc/middle.bin", readBack);
        Assert.Contains("written by minix318emu image put", readBack);
        Assert.Matches(@"\n *72\n", readBack);                          // big.bin, hello.txt and f00..f69
    }

    /// <summary>POSIX cksum: CRC-32 (polynomial 0x04C11DB7, MSB first) over the data and then its length, complemented.</summary>
    private static uint PosixCksum(byte[] data)
    {
        uint crc = 0;
        void Add(byte b)
        {
            crc ^= (uint)b << 24;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1;
            }
        }
        foreach (byte b in data)
        {
            Add(b);
        }
        for (long n = data.Length; n != 0; n >>= 8)
        {
            Add((byte)n);
        }
        return ~crc;
    }
}
