namespace Minix318Emu.Images.Elf;

/// <summary>A program header (Type 1 = PT_LOAD).</summary>
public sealed record ElfSegment(uint Type, uint Offset, uint VirtualAddress, uint PhysicalAddress, uint FileSize, uint MemorySize, uint Flags)
{
    /// <summary>PT_LOAD.</summary>
    public const uint Load = 1;
}
