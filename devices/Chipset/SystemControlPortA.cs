using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Chipset;

/// <summary>
/// Port 0x92, system control port A (the PIIX3 datasheet's PORT92, "Port 92 Register"; port 0x61
/// is <see cref="SystemControlPortB"/>): bit 1 is the fast A20 gate, writing bit 0 resets the CPU.
/// </summary>
public sealed partial class SystemControlPortA : IPortDevice
{
    private readonly PhysicalMemory _memory;
    private readonly Action _reset;

    /// <summary>Creates the port.</summary>
    public SystemControlPortA(PhysicalMemory memory, Action reset)
    {
        _memory = memory;
        _reset = reset;
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size) => _memory.A20Enabled ? 0x02u : 0x00u;

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        _memory.SetA20((value & 0x02) != 0);
        if ((value & 0x01) != 0)
        {
            _reset();
        }
    }
}
