using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Snapshots;

/// <summary>
/// N instructions straight against N/2, save, load into a new machine, N/2 on the bundled guests,
/// one for each device family: the devices guest (PIT, RTC, PCI, IDE PIO and bus-master DMA,
/// i8042, VGA), the floppy guest (floppy controller and ISA DMA), the APIC and ACPI guests, and
/// the CPU guests (selfcheck with the x87, hardware task switches, virtual-8086 mode).
/// </summary>
public sealed class GuestSnapshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-snap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BootedPc Boot(string guest, BoardConfig config, uint ramMiB = 64) =>
        MachineFactory.Boot(Repo.Guest(guest), "", Array.Empty<ModuleSpec>(), ramMiB << 20, config);

    [Fact]
    public void DevicesGuest_ResumesExactly()
    {
        string disk = Path.Combine(_dir, "disk.img");
        File.WriteAllBytes(disk, new byte[2048 * 512]);
        var r = SnapshotRoundTrip.Check(_dir, sink => Boot("devices", new BoardConfig
        {
            Com1Sink = sink,
            Disks = new Dictionary<IdeSlot, DiskImage> { [new IdeSlot(0, 0)] = DiskImage.Open(disk, persist: false) },
        }));
        Assert.Contains("devices: done", r.Serial);
        Assert.Contains("ide dma round trip: ok", r.Serial);
    }

    [Fact]
    public void FloppyGuest_ResumesExactly()
    {
        string a = Path.Combine(_dir, "a.img"), b = Path.Combine(_dir, "b.img");
        var data = new byte[FloppyDrive.ImageBytes];
        for (int i = 0; i < data.Length; i++)
        {
            int lba = i / 512, off = i % 512;
            data[i] = off switch { 0 => (byte)lba, 1 => (byte)(lba >> 8), _ => (byte)(lba * 31 ^ off * 7 ^ off >> 5) };
        }
        File.WriteAllBytes(a, data);
        File.WriteAllBytes(b, data);
        var r = SnapshotRoundTrip.Check(_dir, sink => Boot("floppy", new BoardConfig
        {
            Com1Sink = sink,
            Floppies = new[]
            {
                new FloppyDrive(DiskImage.Open(a, persist: false), writeProtected: false),
                new FloppyDrive(DiskImage.Open(b, persist: false), writeProtected: true),
            },
        }), maxInstructions: 500_000_000);
        Assert.Equal(1, r.Straight.ExitCode);
    }

    [Theory]
    [InlineData("apic", true)]
    [InlineData("apic", false)]
    [InlineData("acpi", true)]
    public void InterruptAndFirmwareGuests_ResumeExactly(string guest, bool apic)
    {
        var r = SnapshotRoundTrip.Check(_dir, sink => Boot(guest, new BoardConfig { Com1Sink = sink, Apic = apic }));
        Assert.True(r.Straight.Instructions > 0);
    }

    [Theory]
    [InlineData("selfcheck")]
    [InlineData("tasks")]
    [InlineData("vm86")]
    [InlineData("demo")]
    public void CpuGuests_ResumeExactly(string guest)
    {
        var r = SnapshotRoundTrip.Check(_dir, sink => Boot(guest, new BoardConfig { Com1Sink = sink }, ramMiB: 256));
        Assert.True(r.Straight.Instructions > 0);
    }
}
