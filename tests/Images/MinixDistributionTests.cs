using Minix318Emu.Images;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Images;

/// <summary>The MINIX distribution directory: the shared one's layout, and one-line errors for broken ones.</summary>
public sealed class MinixDistributionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-dist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void SharedMinix_HasTwelveModulesInBootOrder_AndItsCommandLine()
    {
        MinixDistribution d = RealMinix.Require();
        Assert.Equal(12, d.Modules.Count);
        Assert.EndsWith("mod01_ds", d.Modules[0]);
        Assert.EndsWith("mod09_vm", d.Modules[8]);
        Assert.EndsWith("mod12_init", d.Modules[11]);
        Assert.Equal("rootdevname=c0d0p0 console=tty00 consdev=com0", d.CommandLine);
    }

    [SkippableFact]
    public void Disk_IsDecompressedOnce_ToAFileWithAnMbr()
    {
        MinixDistribution d = RealMinix.Require();
        string cache = Path.Combine(_dir, "cache");
        string disk = d.Disk("disk.img", cache);
        Assert.Equal(64L << 20, new FileInfo(disk).Length);
        var sector = new byte[512];
        using (FileStream f = File.OpenRead(disk))
        {
            f.ReadExactly(sector);
        }
        Assert.Equal(0x55, sector[510]);
        Assert.Equal(0xAA, sector[511]);
        DateTime written = File.GetLastWriteTimeUtc(disk);
        Assert.Equal(disk, d.Disk("disk.img", cache));
        Assert.Equal(written, File.GetLastWriteTimeUtc(disk)); // reused, not written again
    }

    [Fact]
    public void BrokenDirectories_AreOneLineErrorsNamingWhatIsMissing()
    {
        var e = Assert.Throws<ImageFormatException>(() => MinixDistribution.Open(Path.Combine(_dir, "nowhere")));
        Assert.Contains("no such directory", e.Message);
        e = Assert.Throws<ImageFormatException>(() => MinixDistribution.Open(_dir));
        Assert.Contains("'kernel'", e.Message);
        File.WriteAllText(Path.Combine(_dir, "kernel"), "");
        e = Assert.Throws<ImageFormatException>(() => MinixDistribution.Open(_dir));
        Assert.Contains("mod01_", e.Message);
        File.WriteAllText(Path.Combine(_dir, "mod01_ds"), "");
        e = Assert.Throws<ImageFormatException>(() => MinixDistribution.Open(_dir));
        Assert.Contains("cmdline.txt", e.Message);
        File.WriteAllText(Path.Combine(_dir, "cmdline.txt"), " a=b \n");
        MinixDistribution d = MinixDistribution.Open(_dir);
        Assert.Equal("a=b", d.CommandLine);
        e = Assert.Throws<ImageFormatException>(() => d.Disk("disk.img", Path.Combine(_dir, "c")));
        Assert.Contains("disk.img.gz", e.Message);
        File.WriteAllText(Path.Combine(_dir, "disk.img.gz"), "not gzip");
        e = Assert.Throws<ImageFormatException>(() => d.Disk("disk.img", Path.Combine(_dir, "c")));
        Assert.Contains("gzip", e.Message);
    }
}
