namespace Minix318Emu.Cli.Hosting;

/// <summary>A file the boot route loaded whose symbols describe guest code: the kernel, or a user program (a boot module).</summary>
public sealed record BootFile(string Path, bool IsKernel);
