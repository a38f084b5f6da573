namespace Minix318Emu.Emulator.Io;

/// <summary>A device that answers I/O port accesses. Sizes are 1, 2 or 4 bytes.</summary>
public interface IPortDevice
{
    /// <summary>Reads <paramref name="size"/> bytes from <paramref name="port"/>.</summary>
    uint Read(ushort port, int size);

    /// <summary>Writes the low <paramref name="size"/> bytes of <paramref name="value"/> to <paramref name="port"/>.</summary>
    void Write(ushort port, int size, uint value);
}
