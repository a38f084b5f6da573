namespace Minix318Emu.Images.Multiboot;

/// <summary>A module requested on the command line: a file and its own command line.</summary>
public sealed record ModuleSpec(string Path, string CommandLine);
