using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>`minix318emu image ACTION IMAGE ...`: read and change MINIX disk images without booting them.</summary>
[Verb("image", HelpText = "MINIX disk images: info IMAGE | ls IMAGE [PATH] | cat IMAGE PATH | extract IMAGE PATH DIR | put IMAGE PATH FILE (changes IMAGE) | bootcfg IMAGE.")]
public sealed class ImageOptions
{
    [Value(0, MetaName = "ACTION", Required = true, HelpText = "info, ls, cat, extract, put or bootcfg.")]
    public string Action { get; set; } = "";

    [Value(1, MetaName = "IMAGE", Required = true, HelpText = "A raw disk image (partitioned, or one file system).")]
    public string Image { get; set; } = "";

    [Value(2, MetaName = "ARGS", HelpText = "The action's arguments.")]
    public IEnumerable<string> Arguments { get; set; } = Array.Empty<string>();

    [Option("partition", HelpText = "The volume to use: p0..p3 or a sub-partition such as p0s1 (default: the active MINIX partition's file system).")]
    public string? Partition { get; set; }

    [Option("boot-entry", HelpText = "bootcfg: the menu entry (from 1) to show the boot of (default: boot.cfg's default).")]
    public int? BootEntry { get; set; }
}
