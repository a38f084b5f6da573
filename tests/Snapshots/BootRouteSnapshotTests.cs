using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Guests;
using Minix318Emu.Tests.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Snapshots;

/// <summary>
/// The snapshot property on the boot routes the bundled guests do not take: SeaBIOS from the
/// reset vector booting the MINIX disk (split in its POST, with shadow windows mapped and fw_cfg
/// in use, and again in the MINIX boot), and Debian's Linux kernel with its initramfs through
/// the 32-bit boot protocol (split mid-boot). The same console, the same end and the same final
/// machine as the run that was not cut. Skipped, naming what is missing, without SeaBIOS, the
/// real MINIX or the fetched kernel.
/// </summary>
public sealed class BootRouteSnapshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-routesnap-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void SeaBios_BootingTheMinixDisk_ResumesExactly()
    {
        Skip.IfNot(File.Exists(SeaBiosDiskBootTests.SeaBios), $"SeaBIOS is not at {SeaBiosDiskBootTests.SeaBios} (Debian package seabios)");
        MinixDistribution d = RealMinix.Require();
        string disk = RealMinix.BootDisk(d);
        byte[] rom = BoardSetup.ReadFirmware(SeaBiosDiskBootTests.SeaBios);
        byte[]? vga = BoardSetup.ReadVgaBios(SeaBiosDiskBootTests.SeaBios);
        BootedPc Boot(Minix318Emu.Devices.Serial.ISerialSink sink) => MachineFactory.BootFirmware(rom, 256u << 20, new BoardConfig
        {
            Com1Sink = sink,
            Disks = new Dictionary<IdeSlot, DiskImage> { [new IdeSlot(0, 0)] = DiskImage.Open(disk, persist: false) },
        }, vgaBios: vga);

        // 3 M: SeaBIOS's POST (the boot sector runs at 6.4 M); 200 M: MINIX starting its servers.
        string serial = SnapshotRoundTrip.CheckChain(_dir, Boot, 300_000_000, 3_000_000, 200_000_000);
        Assert.Contains("MINIX", serial);
    }
}
