namespace Minix318Emu.Images.Multiboot;

/// <summary>A module in memory: a name for messages, its multiboot string, and its bytes.</summary>
public sealed record ModuleData(string Name, string CommandLine, byte[] Data);
