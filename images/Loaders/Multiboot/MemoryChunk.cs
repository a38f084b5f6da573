namespace Minix318Emu.Images.Multiboot;

/// <summary>Bytes to place at a physical address, followed by <paramref name="ZeroFill"/> zero bytes (BSS).</summary>
public sealed record MemoryChunk(uint Address, byte[] Data, uint ZeroFill = 0);
