using System.Text;
using Minix318Emu.Images;
using Minix318Emu.Images.Disk;
using Minix318Emu.Images.Minix;
using Minix318Emu.Images.Minix.Boot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Images;

/// <summary>
/// The built-in MINIX boot loader's decisions, without booting: boot.cfg parsed as the boot
/// monitor parses it, a menu entry's commands played, and the multiboot command line and module
/// strings the monitor passes (observed on QEMU with gdb at the kernel's entry:
/// "/boot/minix_default/kernel rootdevname=c0d0p0 console=tty00 consdev=com0", each module's
/// string its path).
/// </summary>
public sealed class MinixBootLoaderTests
{
    private static readonly string[] s_moduleNames =
        ["mod01_ds", "mod02_rs", "mod03_pm", "mod04_sched", "mod05_vfs", "mod06_memory", "mod07_tty", "mod08_mib", "mod09_vm", "mod10_pfs", "mod11_mfs", "mod12_init"];

    private static byte[] BootDiskBytes() => File.ReadAllBytes(RealMinix.BootDisk(RealMinix.Require()));

    /// <summary>The boot disk with /boot.cfg replaced by <paramref name="cfg"/> (written with `put`).</summary>
    private static MinixDisk WithBootCfg(string cfg)
    {
        var disk = MinixDisk.Open(new MemoryDisk("boot.img", BootDiskBytes()));
        disk.OpenFileSystem().Put("/boot.cfg", Encoding.ASCII.GetBytes(cfg), 0x1A4, 0);
        return disk;
    }

    [SkippableFact]
    public void SharedBootDisk_BootsEntry1_WithTheMonitorsCommandLineAndModules()
    {
        MinixDistribution d = RealMinix.Require();
        using MinixDisk disk = MinixDisk.Open(RealMinix.BootDisk(d), writable: false);
        MinixBootPlan plan = MinixBootLoader.Plan(disk, null);
        Assert.Equal(("p0", 1, "Start MINIX 3 (serial console)"), (plan.Volume, plan.Entry.Number, plan.Entry.Description));
        Assert.Equal("/boot/minix_default/kernel rootdevname=c0d0p0 console=tty00 consdev=com0", plan.CommandLine);
        Assert.Equal("/boot/minix_default/kernel", plan.Kernel.Path);
        Assert.Equal(File.ReadAllBytes(d.Kernel), plan.Kernel.Data);
        Assert.Equal(s_moduleNames.Select(n => "/boot/minix_default/" + n), plan.Modules.Select(m => m.Path));
        Assert.Equal(d.Modules.Select(File.ReadAllBytes), plan.Modules.Select(m => m.Data));
        Assert.Empty(plan.Warnings);
        Assert.Equal(d.CommandLine, plan.CommandLine[(plan.CommandLine.IndexOf(' ') + 1)..]);   // what cmdline.txt gives the multiboot boot
    }

    [SkippableFact]
    public void AppendedText_FollowsTheEntrysCommandLine()
    {
        using var disk = Minix318Emu.Devices.Storage.DiskImage.Open(RealMinix.BootDisk(RealMinix.Require()), persist: false);
        (MinixBootPlan plan, string commandLine) = Minix318Emu.Cli.Hosting.MinixDiskBoot.Plan(disk, 1, "bootopts=-s");
        Assert.Equal(plan.CommandLine + " bootopts=-s", commandLine);
        Assert.Equal(plan.CommandLine, Minix318Emu.Cli.Hosting.MinixDiskBoot.Plan(disk, 1, "").CommandLine);
    }

    [Fact]
    public void BootCfg_IsParsedAsTheMonitorParsesIt()
    {
        BootConfig c = BootConfig.Parse(Encoding.ASCII.GetBytes(string.Join('\n',
            "banner=Hello # a comment",
            "no separator here",
            "menu=First:load_mods /a/mod*;multiboot /a/kernel x=1",
            "menu=:multiboot /b/kernel",          // empty description: the command is shown
            "menu=no colon, not an entry",
            "menu2=Third:multiboot /c/kernel",    // keys match on their first letters (strncmp)
            "timeout=soon",                        // not a digit: wait for a choice
            "default=7",                           // clamped to the last entry
            "consdev=com0",
            "load=/extra/module",
            "clear=1")));
        Assert.Equal(["Hello "], c.Banner);
        Assert.Equal([(1, "First", "load_mods /a/mod*;multiboot /a/kernel x=1"), (2, "multiboot /b/kernel", "multiboot /b/kernel"), (3, "Third", "multiboot /c/kernel")],
            c.Menu.Select(e => (e.Number, e.Description, e.Command)));
        Assert.Equal((-1, 2, "com0", true, BootMenuFormat.Numbers), (c.Timeout, c.DefaultIndex, c.ConsoleDevice, c.Clear, c.Format));
        Assert.Equal(["/extra/module"], c.Loads);

        string eleven = string.Concat(Enumerable.Range(1, 11).Select(i => $"menu=E{i}:multiboot /k\n"));
        BootConfig letters = BootConfig.Parse(Encoding.ASCII.GetBytes(eleven + "timeout=5"));
        Assert.Equal((11, BootMenuFormat.Letters), (letters.Menu.Count, letters.Format));
        Assert.Equal(9, BootConfig.Parse(Encoding.ASCII.GetBytes(eleven + "timeout=5\nformat=numbers")).Menu.Count);   // a numbered menu with a countdown keeps nine
        Assert.Equal(11, BootConfig.Parse(Encoding.ASCII.GetBytes(eleven + "timeout=0\nformat=n")).Menu.Count);
        Assert.Equal(0, BootConfig.Parse(Encoding.ASCII.GetBytes("menu=A:x\ndefault=-3")).DefaultIndex);
        Assert.Equal(-1, BootConfig.Parse(Encoding.ASCII.GetBytes("timeout= 5")).Timeout);            // isdigit() of the first character
        Assert.Equal(10, BootConfig.Parse(Encoding.ASCII.GetBytes("# nothing")).Timeout);             // the monitor's default
    }

    [Theory]
    [InlineData("mod01_ds", "mod*", true)]
    [InlineData("mod01_ds", "mod0?_ds", true)]
    [InlineData("mod01_ds", "*_ds", true)]
    [InlineData("_ds", "*_ds", false)]            // libsa's quirk: the search starts after the first character
    [InlineData("xmod01", "mod*", false)]
    [InlineData("mod", "mod?", false)]
    [InlineData("kernel", "kernel", true)]
    [InlineData("anything", "*", true)]
    public void Fnmatch_IsLibsasFnmatch(string name, string pattern, bool matches) =>
        Assert.Equal(matches, MinixBootLoader.Fnmatch(name, pattern));

    [Fact]
    public void EntryCommands_SplitAtSemicolons()
    {
        Assert.Equal(["load_mods /a/mod*", "multiboot /a/kernel x=1"], MinixBootLoader.SplitCommands("load_mods /a/mod*;  multiboot /a/kernel x=1  ;;"));
    }

    [SkippableFact]
    public void EntriesAndCommands_ChooseWhatIsLoaded()
    {
        using MinixDisk disk = WithBootCfg(string.Join('\n',
            "default=2",
            "load=/boot/minix_default/mod12_init",
            "menu=One:multiboot /boot/minix_default/kernel a=1",
            "menu=Two:load_mods /boot/minix_default/mod0?_*;load /boot/nothing;multiboot /boot/minix_latest/kernel",
            "menu=Three:load_mods /boot/minix_default/mod*;modules off;multiboot /boot/minix_default/kernel",
            "menu=Four:prompt",
            "menu=Five:load_mods /boot/minix_default/mod*",
            "menu=Six:boot netbsd"));
        MinixBootPlan two = MinixBootLoader.Plan(disk, null);
        Assert.Equal(2, two.Entry.Number);
        Assert.Equal(["mod12_init", "mod01_ds", "mod02_rs", "mod03_pm", "mod04_sched", "mod05_vfs", "mod06_memory", "mod07_tty", "mod08_mib", "mod09_vm"], two.Modules.Select(m => Path.GetFileName(m.Path)));
        Assert.Equal(["couldn't open /boot/nothing: the boot monitor leaves it out"], two.Warnings);
        Assert.Equal("/boot/minix_latest/kernel ", two.CommandLine);            // "FILE ARGS" with empty ARGS, as exec_multiboot() prints it
        Assert.Equal("/boot/minix_default/kernel a=1", MinixBootLoader.Plan(disk, 1).CommandLine);
        Assert.Empty(MinixBootLoader.Plan(disk, 3).Modules);

        (int Entry, string Message)[] refusals =
        [
            (4, "boot entry 4 (Four) opens the boot monitor's prompt, which needs a person at the console; choose an entry that boots"),
            (5, "boot entry 5 (Five) has no multiboot command: load_mods /boot/minix_default/mod*"),
            (6, "boot entry 6 (Six): the command 'boot netbsd' is not one the built-in loader plays (load_mods, load, modules, consdev, vesa, multiboot)"),
            (7, "boot entry 7 does not exist: /boot.cfg has 6 (1 One, 2 Two, 3 Three, 4 Four, 5 Five, 6 Six)"),
        ];
        foreach ((int entry, string message) in refusals)
        {
            var e = Assert.Throws<ImageFormatException>(() => MinixBootLoader.Plan(disk, entry));
            Assert.Equal("boot.img: p0: " + message, e.Message);
        }
    }

    [SkippableFact]
    public void DisksTheMonitorCouldNotBoot_AreNamed()
    {
        byte[] image = BootDiskBytes();
        image[446] = 0;                                                          // p0 no longer active
        var e = Assert.Throws<ImageFormatException>(() => MinixBootLoader.Plan(MinixDisk.Open(new MemoryDisk("boot.img", image)), null));
        Assert.Equal("boot.img: no active partition: the MBR boots the active one", e.Message);
        image[446] = 0x80;
        image[446 + 4] = 0x83;
        e = Assert.Throws<ImageFormatException>(() => MinixBootLoader.Plan(MinixDisk.Open(new MemoryDisk("boot.img", image)), null));
        Assert.Equal("boot.img: the active partition p0 is type 0x83 (Linux), not MINIX (0x81)", e.Message);
        e = Assert.Throws<ImageFormatException>(() => MinixBootLoader.Plan(WithBootCfg("timeout=1\n"), null));
        Assert.Equal("boot.img: p0: /boot.cfg has no menu entries (the boot monitor would fall back to a NetBSD kernel called netbsd)", e.Message);
    }
}
