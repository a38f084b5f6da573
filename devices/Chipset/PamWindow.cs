using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Chipset;

/// <summary>
/// A BIOS shadow segment whose PAM field sends reads to the bus (the BIOS ROM's alias below
/// 1 MiB, or nothing: all ones): writes go to the RAM underneath when the field enables them,
/// else to the bus, where nothing takes them.
/// </summary>
internal sealed class PamWindow : IMmioDevice
{
    private readonly PhysicalMemory _memory;
    private readonly uint _start;
    private readonly Func<uint, byte> _bus;

    public PamWindow(PhysicalMemory memory, uint start, Func<uint, byte> bus)
    {
        _memory = memory;
        _start = start;
        _bus = bus;
    }

    /// <summary>Whether writes reach the RAM (PAM WE set).</summary>
    public bool WritesToRam { get; set; }

    public uint Read(uint offset, int size)
    {
        uint v = 0;
        for (int i = 0; i < size; i++)
        {
            v |= (uint)_bus(_start + offset + (uint)i) << (8 * i);
        }
        return v;
    }

    public void Write(uint offset, int size, uint value)
    {
        if (!WritesToRam)
        {
            return;
        }
        uint at = _start + offset;
        if (at + (uint)size <= _memory.RamSize)
        {
            _memory.NoteCodeWrite(at, size);
            for (int i = 0; i < size; i++)
            {
                _memory.Ram[at + i] = (byte)(value >> (8 * i));
            }
        }
    }
}
