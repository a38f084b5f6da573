namespace Minix318Emu.Images.Minix.Boot;

/// <summary>A file the boot loader read from the disk: its path in the file system and its bytes.</summary>
public sealed record BootFileData(string Path, byte[] Data);
