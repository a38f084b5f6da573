namespace Minix318Emu.Images.Multiboot;

/// <summary>A module as loaded: its file, command line and physical range.</summary>
public sealed record LoadedModule(string Path, string CommandLine, uint Start, uint End);
