using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Tests.Faults;

/// <summary>
/// Host-side faults at the disk: a copy-on-write run whose image another program changes stops
/// naming the file (never mixing two versions of the disk), and --persist writes reach the file
/// at once and in order, so a killed emulator leaves every completed write behind.
/// </summary>
public sealed class DiskImageFaultTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-diskfault-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string NewImage(int sectors)
    {
        string path = Path.Combine(_dir, $"disk{Guid.NewGuid():N}.img");
        var bytes = new byte[sectors * DiskImage.SectorSize];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i / DiskImage.SectorSize);
        }
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void CopyOnWrite_ImageRewrittenByAnotherProgram_StopsTheRunNamingTheFile()
    {
        string path = NewImage(16);
        using DiskImage disk = DiskImage.Open(path, persist: false);
        var sector = new byte[DiskImage.SectorSize];
        disk.Read(3, sector);
        Assert.Equal(3, sector[0]);

        using (var other = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            other.Position = 5 * DiskImage.SectorSize;
            other.WriteByte(0xAA);
        }
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5)); // a coarse-clock file system still sees the change

        var e = Assert.Throws<MachineStopException>(() => disk.Read(5, sector));
        Assert.Equal(StopReason.BadInput, e.Reason);
        Assert.StartsWith(path + ": the disk image was changed by another program", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void CopyOnWrite_ImageTruncatedByAnotherProgram_StopsTheRun()
    {
        string path = NewImage(16);
        using DiskImage disk = DiskImage.Open(path, persist: false);
        using (var other = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            other.SetLength(8 * DiskImage.SectorSize);
        }
        var e = Assert.Throws<MachineStopException>(() => disk.Read(12, new byte[DiskImage.SectorSize]));
        Assert.Contains("now 4096 bytes", e.Message);
    }

    [Fact]
    public void CopyOnWrite_OverlayReadsNeedNoFile_AndAnUnchangedFileReadsOn()
    {
        string path = NewImage(16);
        using DiskImage disk = DiskImage.Open(path, persist: false);
        var buf = new byte[DiskImage.SectorSize];
        for (int i = 0; i < 1000; i++)
        {
            disk.Read(i % 16, buf);
            Assert.Equal(i % 16, buf[0]);
        }
        disk.Write(2, Enumerable.Repeat((byte)0x55, DiskImage.SectorSize).ToArray());
        disk.Read(2, buf);
        Assert.Equal(0x55, buf[0]);
        Assert.Equal(2, File.ReadAllBytes(path)[2 * DiskImage.SectorSize]); // the file is untouched
    }

    [Fact]
    public void Persist_EachWriteIsInTheFileAtOnce_InOrder_WithoutAFlush()
    {
        string path = NewImage(16);
        using DiskImage disk = DiskImage.Open(path, persist: true);
        for (int n = 0; n < 16; n++)
        {
            disk.Write(n, Enumerable.Repeat((byte)(0x80 + n), DiskImage.SectorSize).ToArray());
            // Another reader of the file (what a new process sees after a kill) finds writes 0..n and nothing later.
            byte[] seen = File.ReadAllBytes(path);
            for (int k = 0; k < 16; k++)
            {
                Assert.Equal(k <= n ? 0x80 + k : k, seen[k * DiskImage.SectorSize + 100]);
            }
        }
    }
}
