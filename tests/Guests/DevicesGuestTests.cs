using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>The devices guest: PIT, RTC, PCI, IDE (PIO and DMA), keyboard and VGA driven the way drivers do.</summary>
public sealed class DevicesGuestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-devguest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Disk(int sectors = 2048)
    {
        string p = Path.Combine(_dir, $"disk{Guid.NewGuid():N}.img");
        File.WriteAllBytes(p, new byte[sectors * 512]);
        return p;
    }

    private (string Serial, RunResult Result, BootedPc Pc) Run(string disk, bool persist, string keys = "")
    {
        var sink = new MemorySerialSink();
        var image = DiskImage.Open(disk, persist);
        var config = new BoardConfig { Com1Sink = sink, Disks = new Dictionary<IdeSlot, DiskImage> { [new IdeSlot(0, 0)] = image } };
        BootedPc pc = MachineFactory.Boot(Repo.Guest("devices"), "", Array.Empty<ModuleSpec>(), 64u << 20, config);
        if (keys.Length > 0)
        {
            pc.Board.TypeAt(pc.Machine.Clock.TicksFromNanoseconds(10_000_000), keys);
        }
        RunResult r = pc.Machine.Run(new RunLimits(2_000_000_000));
        pc.Board.Dispose();
        return (sink.Text.Replace("\r", ""), r, pc);
    }

    [Fact]
    public void Devices_BehaveAsTheirDatasheetsSay()
    {
        string disk = Disk();
        byte[] before = File.ReadAllBytes(disk);
        var (serial, result, pc) = Run(disk, persist: false, keys: "a");
        Assert.Equal(StopReason.GuestExit, result.Reason);
        string[] expected =
        {
            "pic imr after init: 0x000000ff",
            "kbd controller self-test: 0x00000055",
            "board: key scan codes: 0x0000001e 0x0000009e",        // 'a' make and break, translated to set 1
            "timing: pit ticks in one rtc second: 100",            // 100 Hz PIT over a 2 Hz RTC's second, in guest time
            "timing: pit rate: ok",                                 // QEMU counts ticks in host time: a loaded host misses some
            "pit read-back status (mode bits): 0x00000034",
            "rtc after leap-day rollover: 2024-03-01 00:00:00",
            "rtc weekday (1 = sunday): 0x00000006",                // a Friday
            "board: cmos checksum ok",
            "board: pci 00:01.1 id 0x70108086 class 0x00010180",
            "ide lba28 sectors: 0x00000800",
            "ide pio round trip: ok",
            "ide lba48 read: ok",
            "ide dma write bm status: 0x00000004",                 // interrupt, not active, no error
            "ide dma round trip: ok",
            "ide read multiple: ok",
            "ide read multiple interrupts: 0x00000002",            // one per 4-sector block
            "ide unsupported error: 0x00000004",                   // ABRT
            "port 0x61 refresh bit toggles",
            "pit out2 after count: 0x00000001",
            "devices: done",
        };
        var lines = serial.Split('\n').ToList();
        int at = 0;
        foreach (string e in expected)
        {
            int found = lines.IndexOf(e, at);
            Assert.True(found >= 0, $"missing or out of order: \"{e}\"\n--- output ---\n{serial}");
            at = found + 1;
        }
        Assert.Equal(before, File.ReadAllBytes(disk)); // the default overlay leaves the image alone
        Assert.Equal("hello from the devices guest", pc.Board.Vga.ScreenText().Split('\n')[2]);
    }

    [Fact]
    public void Persist_WritesThePioAndDmaSectorsToTheImageFile()
    {
        string disk = Disk();
        var (serial, result, _) = Run(disk, persist: true);
        Assert.Contains("ide dma round trip: ok", serial);
        byte[] img = File.ReadAllBytes(disk);
        for (int i = 0; i < 512; i++)
        {
            Assert.Equal((byte)(5 + i * 13), img[5 * 512 + i]);   // the PIO sector, as the guest's fill() wrote it
        }
        for (int i = 0; i < 4096; i++)
        {
            Assert.Equal((byte)(8 + i * 13), img[8 * 512 + i]);   // the 8 DMA sectors
        }
        Assert.Equal(StopReason.GuestExit, result.Reason);
    }

    [SkippableFact]
    public void DatasheetLines_MatchQemu()
    {
        string? qemu = Repo.Which("qemu-system-i386");
        Skip.If(qemu is null, "qemu-system-i386 is not installed");
        string qdisk = Disk();
        var q = ProcessRunner.Run(qemu!, new[]
        {
            "-m", "64", "-display", "none", "-monitor", "none", "-no-reboot", "-nodefaults",
            "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-kernel", Repo.Guest("devices"), "-drive", $"file={qdisk},format=raw,if=ide,index=0",
        }, TimeSpan.FromMinutes(2));
        var (ours, _, _) = Run(Disk(), persist: false);
        // Lines about the board's identity or host timing are marked by the guest and left out.
        static string Architectural(string s) => string.Join('\n', s.Replace("\r", "").Split('\n')
            .Where(l => !l.StartsWith("board:", StringComparison.Ordinal) && !l.StartsWith("timing:", StringComparison.Ordinal)));
        Assert.Equal(Architectural(q.Stdout), Architectural(ours));
    }
}
