namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// A file the boot route loaded whose symbols describe guest code: the kernel, or a user
/// program (a boot module). <paramref name="Data"/> holds the bytes the route loaded when they
/// did not come from a host file (the built-in MINIX loader reads them from the disk image);
/// <paramref name="Path"/> then names the file as "IMAGE:/path/in/the/image".
/// </summary>
public sealed record BootFile(string Path, bool IsKernel, byte[]? Data = null);
