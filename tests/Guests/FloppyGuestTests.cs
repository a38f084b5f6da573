using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// The floppy guest drives the controller and ISA DMA with a 1.44 MB disk in A: and a
/// write-protected one in B:, checking every sector it reads against the pattern the test put
/// in the image; QEMU with the same two drives prints the same. The image file is not changed.
/// </summary>
public sealed class FloppyGuestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-floppy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The pattern the guest expects: each sector starts with its LBA.</summary>
    private string Image(string name)
    {
        var data = new byte[FloppyDrive.ImageBytes];
        for (int i = 0; i < data.Length; i++)
        {
            int lba = i / 512, off = i % 512;
            data[i] = off switch { 0 => (byte)lba, 1 => (byte)(lba >> 8), _ => (byte)(lba * 31 ^ off * 7 ^ off >> 5) };
        }
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    private (string Serial, RunResult Result) RunHere(string a, string b)
    {
        var sink = new MemorySerialSink();
        var floppies = new[]
        {
            new FloppyDrive(DiskImage.Open(a, persist: false), writeProtected: false),
            new FloppyDrive(DiskImage.Open(b, persist: false), writeProtected: true),
        };
        BootedPc pc = MachineFactory.Boot(Repo.Guest("floppy"), "", Array.Empty<ModuleSpec>(), 64u << 20,
            new BoardConfig { Com1Sink = sink, Floppies = floppies });
        RunResult r;
        using (pc.Board)
        {
            r = pc.Machine.Run(new RunLimits(500_000_000));
        }
        return (sink.Text.Replace("\r", ""), r);
    }

    [Fact]
    public void Guest_ReadsWritesAndProbes_TheDrives()
    {
        string a = Image("a.img"), b = Image("b.img");
        byte[] before = File.ReadAllBytes(a);
        var (serial, r) = RunHere(a, b);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("fdc: cmos drive types 44\n", serial);
        Assert.Contains("fdc: reset sense c0 00\nfdc: reset sense c1 00\nfdc: reset sense c2 00\nfdc: reset sense c3 00\n", serial);
        Assert.Contains("fdc: st3 at cylinder 5 28, disk change 00\n", serial);
        Assert.Contains("read cylinder 5: ic 00 st1 00 st2 00 chrn 06 00 01 02\n", serial);
        Assert.Contains("dma: terminal count 01, count 0x0000ffff, sectors ok 36\n", serial);
        Assert.Contains("read 3 sectors of side 1: ic 00 st1 00 st2 00 chrn 05 01 07 02\nread: sectors ok 3\n", serial);
        Assert.Contains("write: read back 2 sectors\n", serial);
        Assert.Contains("write to the write-protected B:: ic 40 st1 02", serial);
        Assert.Contains("fdc: wrong data rate: missing address mark\n", serial);
        Assert.Contains("pio read: 512 bytes, sector ok 1\n", serial);
        Assert.Equal(before, File.ReadAllBytes(a)); // the write went to the copy-on-write overlay
    }

    [SkippableFact]
    public void Output_MatchesQemu()
    {
        string? qemu = Repo.Which("qemu-system-i386");
        Skip.If(qemu is null, "qemu-system-i386 is not installed");
        string a = Image("a.img"), b = Image("b.img");
        var q = Qemu.RunKernel(qemu!, Repo.Guest("floppy"), "64",
            "-drive", $"if=floppy,index=0,file={a},format=raw,snapshot=on",
            "-drive", $"if=floppy,index=1,file={b},format=raw,readonly=on");
        var (serial, r) = RunHere(a, b);
        Assert.Equal(q.Stdout.Replace("\r", ""), serial);
        Assert.Equal(q.ExitCode, r.ExitCode);
    }
}
