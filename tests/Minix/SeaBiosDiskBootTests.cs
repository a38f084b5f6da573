using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Minix;

/// <summary>
/// The self-booting disk booted as QEMU boots it with -hda alone: Debian's SeaBIOS from the
/// reset vector (finding the board through fw_cfg, shadowing itself through the PAM registers,
/// running the VGA BIOS, finding the IDE disk), then the MBR, bootxx_minixfs3 and the boot
/// monitor through INT 13h, then MINIX to login: on the serial console. One boot, shared.
/// </summary>
public sealed class SeaBiosDiskBootTests : IClassFixture<SeaBiosDiskBootTests.Boot>
{
    /// <summary>Debian's seabios package (.ci/run installs it).</summary>
    public const string SeaBios = "/usr/share/seabios/bios-256k.bin";

    /// <summary>What MINIX's sysenv printed after SeaBIOS, bootxx and the boot monitor booted the same disk on QEMU 7.2.</summary>
    private const string QemuSysenv = "rootdevname=c0d0p0\nconsole=tty00\nconsdev=com0\narch=i386\nboard=X86-I586-GENERIC-GENERIC-GENERIC\n";

    private readonly Boot _boot;

    public SeaBiosDiskBootTests(Boot boot) => _boot = boot;

    /// <summary>The shared boot (no outcome, and a reason, when SeaBIOS or ../shared/minix is absent).</summary>
    public sealed class Boot : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-seabios-").FullName;

        public Boot()
        {
            if (!File.Exists(SeaBios))
            {
                Missing = $"SeaBIOS is not at {SeaBios} (Debian package seabios)";
                return;
            }
            if (!File.Exists(Path.Combine(RealMinix.DirectoryPath, "kernel")))
            {
                Missing = $"the real MINIX is not at {RealMinix.DirectoryPath}";
                return;
            }
            var d = MinixDistribution.Open(RealMinix.DirectoryPath);
            string log = Path.Combine(_dir, "seabios.log");
            var settings = new EmulatorSettings
            {
                Bios = SeaBios,
                Disks = [RealMinix.BootDisk(d)],
                Serial = "file:" + Path.Combine(_dir, "console.txt"),
                Debugcon = "0x402,file:" + log,
            };
            string[] script = ["timeout 120s", "expect \"login: \"", "sendline root", "expect \"# \"",
                "sendline sysenv", "expect \"# \"", "sendline uname -a", "expect \"# \"", "stop"];
            Outcome = MinixSession.Run(settings, script);
            FirmwareLog = File.ReadAllText(log);
            Pam0 = Outcome.Session.Pc.Board.Pam.Register(0);
        }

        internal string? Missing { get; }

        internal MinixSession.Outcome? Outcome { get; }

        internal string FirmwareLog { get; } = "";

        internal byte Pam0 { get; }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }

    private MinixSession.Outcome Session
    {
        get
        {
            Skip.If(_boot.Missing is not null, _boot.Missing);
            return _boot.Outcome!;
        }
    }

    [SkippableFact]
    public void SeaBios_BootMonitor_Minix_ToLogin()
    {
        Assert.Equal(BootRoute.Firmware, Session.Session.Route);
        string c = Session.Console;
        Assert.Contains("1. Start MINIX 3 (serial console)", c);               // the boot monitor's menu, from boot.cfg
        Assert.Contains("Loading /boot/minix_default/mod12_init", c);           // its INT 13h reads of the MINIX partition
        Assert.Contains("/dev/c0d0p0 is mounted on /", c);
        Assert.Contains("login: root", c);
        Assert.StartsWith("Minix minix 3.4.0", MinixSession.OutputOf(c, "uname -a"));
        Assert.Equal(StopReason.ScriptStopped, Session.Result.Reason);
    }

    [SkippableFact]
    public void KernelEnvironment_IsWhatTheBootMonitorGivesOnQemu() =>
        Assert.Equal(QemuSysenv, MinixSession.OutputOf(Session.Console, "sysenv"));

    [SkippableFact]
    public void SeaBios_FindsQemusBoard_ThroughFwCfg_AndTheIdeDisk()
    {
        _ = Session;
        string log = _boot.FirmwareLog;
        Assert.Contains("Running on QEMU (i440fx)", log);                      // the host bridge's subsystem identity
        Assert.Contains("Found QEMU fw_cfg", log);
        Assert.Contains("QEMU fw_cfg DMA interface supported", log);
        Assert.Contains("qemu/e820: addr 0x0000000000000000 len 0x0000000010000000 [RAM]", log);
        Assert.Contains("Found 1 cpu(s) max supported 1 cpu(s)", log);
        Assert.Contains("Start SeaVGABIOS", log);                               // vgaroms/vgabios.bin through fw_cfg
        Assert.Matches(@"ata0-0: \S+ HARDDISK ATA-\d Hard-Disk \(64 MiBytes\)", log); // what its boot menu lists
        Assert.Contains("Booting from Hard Disk...", log);
        Assert.Contains("Booting from 0000:7c00", log);
    }

    [SkippableFact]
    public void SeaBios_LeavesItselfWriteProtected_ThroughPam()
    {
        _ = Session;
        Assert.Equal(0x10, _boot.Pam0);                                         // 0xF0000-0xFFFFF: reads from RAM, writes lost
    }
}
