using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Images.Minix;
using Minix318Emu.Images.Minix.Boot;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// The built-in MINIX boot loader as a boot route: from the board's first hard disk (the one a
/// BIOS boots, drive 0x80), plan what MINIX's boot monitor would boot and load it by
/// multiboot. No BIOS, MBR, bootxx or monitor code runs, so the boot is deterministic and
/// takes no guest time before the kernel's first instruction.
/// </summary>
public static class MinixDiskBoot
{
    /// <summary>The disk a BIOS would boot: the first of primary master, primary slave, secondary master, secondary slave.</summary>
    public static DiskImage BootDisk(BoardConfig board) =>
        board.Disks.OrderBy(d => d.Key.Channel).ThenBy(d => d.Key.Unit).Select(d => d.Value).First();

    /// <summary>
    /// Plans the boot of <paramref name="disk"/>: menu entry <paramref name="entry"/> (from 1)
    /// or boot.cfg's default; <paramref name="append"/>, when given, is added to the entry's
    /// command line as if the menu entry had been edited.
    /// </summary>
    public static (MinixBootPlan Plan, string CommandLine) Plan(DiskImage disk, int? entry, string append)
    {
        MinixBootPlan plan = MinixBootLoader.Plan(MinixDisk.Open(new BoardDiskReader(disk)), entry);
        string commandLine = append.Length > 0 ? $"{plan.CommandLine} {append}" : plan.CommandLine;
        return (plan, commandLine);
    }

    /// <summary>Loads a plan's kernel and modules for a machine with <paramref name="ramBytes"/> of RAM.</summary>
    public static BootImage Load(string image, MinixBootPlan plan, string commandLine, uint ramBytes) =>
        MultibootLoader.Load($"{image}:{plan.Kernel.Path}", plan.Kernel.Data, commandLine,
            plan.Modules.Select(m => new ModuleData($"{image}:{m.Path}", MinixBootPlan.ModuleString(m.Path), m.Data)).ToList(), ramBytes);

    /// <summary>The ELF files the plan loaded, kernel first, with their bytes, for the tracer's symbols.</summary>
    public static IReadOnlyList<BootFile> Files(string image, MinixBootPlan plan) =>
        plan.Modules.Select(m => new BootFile($"{image}:{m.Path}", IsKernel: false, m.Data))
            .Prepend(new BootFile($"{image}:{plan.Kernel.Path}", IsKernel: true, plan.Kernel.Data))
            .ToList();
}
