using Minix318Emu.Images.Disk;
using Minix318Emu.Images.Minix;
using Minix318Emu.Images.Minix.Boot;

namespace Minix318Emu.Cli.Commands.Image;

/// <summary>`image bootcfg`: the boot menu of a MINIX disk and what the built-in loader would boot from it.</summary>
public static class BootConfigText
{
    /// <summary>Prints the menu, then the boot of <paramref name="entry"/> (or the default); a boot that cannot be planned is an error after the menu.</summary>
    public static int Print(MinixDisk disk, int? entry)
    {
        DiskVolume volume = MinixBootLoader.BootVolume(disk);
        BootConfig cfg = MinixBootLoader.ReadConfig(MinixFileSystem.Open(volume));
        var w = Console.Out;
        w.WriteLine($"{disk.Disk.Name}: {volume.Name}, /boot.cfg");
        foreach (string line in cfg.Banner)
        {
            w.WriteLine($"  banner  {line}");
        }
        w.WriteLine($"  timeout {(cfg.Timeout < 0 ? "none (waits for a choice)" : cfg.Timeout + " s")}, default entry {cfg.DefaultIndex + 1}, console {cfg.ConsoleDevice ?? "pc (not set)"}");
        foreach (string load in cfg.Loads)
        {
            w.WriteLine($"  load    {load}");
        }
        int chosen = entry ?? cfg.DefaultIndex + 1;
        foreach (BootMenuEntry e in cfg.Menu)
        {
            w.WriteLine($"  {e.Number,2} {(e.Number == chosen ? '*' : ' ')} {e.Description}");
            w.WriteLine($"         {e.Command}");
        }
        w.Flush();
        MinixBootPlan plan = MinixBootLoader.Plan(disk, entry);
        w.WriteLine($"entry {plan.Entry.Number} boots:");
        w.WriteLine($"  kernel        {plan.Kernel.Path} ({plan.Kernel.Data.Length} bytes)");
        w.WriteLine($"  command line  {plan.CommandLine}");
        foreach (BootFileData m in plan.Modules)
        {
            w.WriteLine($"  module        {MinixBootPlan.ModuleString(m.Path)} ({m.Data.Length} bytes)");
        }
        foreach (string warning in plan.Warnings)
        {
            Console.Error.WriteLine($"minix318emu: warning: {disk.Disk.Name}: {warning}");
        }
        return 0;
    }
}
