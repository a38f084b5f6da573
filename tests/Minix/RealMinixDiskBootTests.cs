using System.Buffers.Binary;
using System.Text;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Minix;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Minix;

/// <summary>
/// The self-booting disk (disk-boot.img) booted by the built-in MINIX loader, given nothing but
/// the disk: boot.cfg's default entry is loaded by multiboot with the monitor's command line and
/// module strings, and MINIX logs in and powers off. One boot, shared by every assertion here.
/// </summary>
public sealed class RealMinixDiskBootTests : IClassFixture<RealMinixDiskBootTests.Boot>
{
    /// <summary>What MINIX's sysenv printed after SeaBIOS, bootxx and the boot monitor booted the same disk on QEMU 7.2.</summary>
    private const string QemuSysenv = "rootdevname=c0d0p0\nconsole=tty00\nconsdev=com0\narch=i386\nboard=X86-I586-GENERIC-GENERIC-GENERIC\n";

    private readonly Boot _boot;

    public RealMinixDiskBootTests(Boot boot) => _boot = boot;

    /// <summary>The shared boot (null outcome when ../shared/minix is absent).</summary>
    public sealed class Boot : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-diskboot-").FullName;

        public Boot()
        {
            if (!File.Exists(Path.Combine(RealMinix.DirectoryPath, "kernel")))
            {
                return;
            }
            Distribution = MinixDistribution.Open(RealMinix.DirectoryPath);
            var settings = new EmulatorSettings
            {
                Disks = [RealMinix.BootDisk(Distribution)],
                Serial = "file:" + Path.Combine(_dir, "console.txt"),
            };
            Outcome = MinixSession.Run(settings, MinixScript.LoginRunPowerOff("sysenv", "ls /boot/minix_default | wc -l"));
        }

        internal MinixSession.Outcome? Outcome { get; }

        internal MinixDistribution? Distribution { get; }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }

    private MinixSession.Outcome Session
    {
        get
        {
            Skip.If(_boot.Outcome is null, $"the real MINIX is not at {RealMinix.DirectoryPath}");
            return _boot.Outcome!;
        }
    }

    [SkippableFact]
    public void DiskAlone_BootsToLogin_AndPowersOff()
    {
        Assert.Equal(BootRoute.MinixDisk, Session.Session.Route);
        Assert.Contains("/dev/c0d0p0 is mounted on /", Session.Console);
        Assert.Contains("login: root", Session.Console);
        Assert.Contains("poweroff: powered off by root", Session.Console);
        Assert.Equal(StopReason.PowerOff, Session.Result.Reason);
        Assert.Equal("13", MinixSession.OutputOf(Session.Console, "ls /boot/minix_default | wc -l").Trim());   // the kernel and 12 modules
    }

    [SkippableFact]
    public void KernelEnvironment_IsWhatTheBootMonitorGivesOnQemu() =>
        Assert.Equal(QemuSysenv, MinixSession.OutputOf(Session.Console, "sysenv"));

    [SkippableFact]
    public void MultibootInformation_CarriesTheMonitorsCommandLineAndModuleStrings()
    {
        BootImage image = Session.Session.Pc.Image!;
        MemoryChunk info = image.Chunks.Single(c => c.Address == image.Ebx);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(info.Data);
        Assert.Equal(0x4Du, flags & 0x4D);                                        // memory, command line, modules, memory map: the monitor's flags
        Assert.Equal("/boot/minix_default/kernel rootdevname=c0d0p0 console=tty00 consdev=com0", CString(info, BinaryPrimitives.ReadUInt32LittleEndian(info.Data.AsSpan(16))));
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(info.Data.AsSpan(20));
        uint list = BinaryPrimitives.ReadUInt32LittleEndian(info.Data.AsSpan(24));
        var strings = new List<string>();
        for (uint i = 0; i < count; i++)
        {
            strings.Add(CString(info, BinaryPrimitives.ReadUInt32LittleEndian(info.Data.AsSpan((int)(list - info.Address + i * 16 + 8)))));
        }
        Assert.Equal(_boot.Distribution!.Modules.Select(m => "/boot/minix_default/" + Path.GetFileName(m)), strings);
    }

    [SkippableFact]
    public void BootFiles_AreTheKernelAndModulesReadFromTheDisk()
    {
        IReadOnlyList<BootFile> files = Session.Session.Files;
        MinixDistribution d = _boot.Distribution!;
        Assert.Equal(d.Modules.Prepend(d.Kernel).Select(Path.GetFileName), files.Select(f => f.Path[(f.Path.LastIndexOf('/') + 1)..]));
        Assert.Equal(d.Modules.Prepend(d.Kernel).Select(File.ReadAllBytes), files.Select(f => f.Data!));
        Assert.True(files[0].IsKernel);
        Assert.All(files.Skip(1), f => Assert.False(f.IsKernel));
        Assert.StartsWith(RealMinix.BootDisk(d) + ":/boot/minix_default/", files[0].Path);
    }

    private static string CString(MemoryChunk chunk, uint address)
    {
        ReadOnlySpan<byte> s = chunk.Data.AsSpan((int)(address - chunk.Address));
        return Encoding.ASCII.GetString(s[..s.IndexOf((byte)0)]);
    }
}
