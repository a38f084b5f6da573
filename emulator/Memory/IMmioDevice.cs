namespace Minix318Emu.Emulator.Memory;

/// <summary>A device mapped into the physical address space. Offsets are relative to the region start.</summary>
public interface IMmioDevice
{
    /// <summary>Reads <paramref name="size"/> (1, 2 or 4) bytes at <paramref name="offset"/>.</summary>
    uint Read(uint offset, int size);

    /// <summary>Writes <paramref name="size"/> bytes at <paramref name="offset"/>.</summary>
    void Write(uint offset, int size, uint value);
}
