using Minix318Emu.Devices.Timer;
using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Chipset;

/// <summary>
/// Port 0x61, system control port B (the PIIX3 datasheet's NMISC, "NMI Status and Control";
/// port 0x92 is <see cref="SystemControlPortA"/>): bit 0 gates PIT channel 2, bit 1 enables the
/// speaker; reads add bit 4, the DRAM refresh request that toggles every 15.085 µs (delay loops
/// poll it), and bit 5, channel 2's OUT.
/// </summary>
public sealed partial class SystemControlPortB : IPortDevice
{
    private const ulong RefreshPeriodNs = 15_085;
    private readonly Pit8254 _pit;
    private readonly VirtualClock _clock;
    private byte _value;

    /// <summary>Creates the port.</summary>
    public SystemControlPortB(Pit8254 pit, VirtualClock clock)
    {
        _pit = pit;
        _clock = clock;
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        bool refresh = (_clock.NowNanoseconds / RefreshPeriodNs & 1) != 0;
        bool out2 = _pit.Channel(2).Out(_pit.Now);
        return (uint)((_value & 0x0F) | (refresh ? 0x10 : 0) | (out2 ? 0x20 : 0));
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        _value = (byte)(value & 0x0F);
        _pit.SetGate2((_value & 1) != 0);
    }
}
