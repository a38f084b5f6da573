namespace Minix318Emu.Devices.Dma;

/// <summary>What one 8237 channel's mode register says to do with the bus on each cycle.</summary>
public enum DmaTransferType
{
    /// <summary>Verify: addresses and counts advance, memory is not touched.</summary>
    Verify = 0,

    /// <summary>Write: the device's data is written to memory (a disk read).</summary>
    WriteToMemory = 1,

    /// <summary>Read: memory is read and given to the device (a disk write).</summary>
    ReadFromMemory = 2,

    /// <summary>Mode bits 3-2 = 11: illegal on the 8237.</summary>
    Illegal = 3,
}
