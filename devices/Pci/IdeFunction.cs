using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Pci;

/// <summary>
/// The PIIX3 IDE function (00:01.1): class 01:01 with programming interface 80h (legacy ports,
/// bus master capable) and the bus-master registers at BAR4.
/// </summary>
public sealed class IdeFunction : PciFunction
{
    /// <summary>The default bus-master I/O base.</summary>
    public const ushort DefaultBusMasterBase = 0xC000;

    private readonly IoBus _bus;
    private readonly BusMasterPorts _ports;

    /// <summary>Creates the function and maps the bus-master block at its default base.</summary>
    public IdeFunction(IoBus bus, BusMasterPorts ports) : base(0x8086, 0x7010, 0x01_01_80, 0x00)
    {
        _bus = bus;
        _ports = ports;
        Set16(0x04, 0x0005); // I/O space and bus master enabled, as a BIOS leaves them
        IoBar(4, 16, DefaultBusMasterBase);
        ports.SetBusMasterEnable(() => (Get32(0x04) & 0x4) != 0);
        Set32(0x40, 0x8000_8000); // IDE timing registers: both channels decode enabled
        Writable(0x40, 4, 0xFFFF_FFFF);
        Map(DefaultBusMasterBase);
    }

    /// <summary>
    /// Decodes the 16 bus-master ports at <paramref name="baseAddress"/>. A guest may program the
    /// BAR over ports another device already decodes (on a real PCI bus both would answer and
    /// the cycle is undefined): those stay with the device that had them, the block takes the
    /// rest, and the conflict is logged (debug level, as unclaimed ports are) instead of stopping the machine.
    /// </summary>
    private void Map(uint baseAddress)
    {
        _ports.Base = (ushort)baseAddress;
        int taken = 0;
        for (int i = 0; i < 16; i++)
        {
            var port = (ushort)(baseAddress + i);
            if (_bus.DeviceAt(port) is { } other && !ReferenceEquals(other, _ports))
            {
                taken++;
                continue;
            }
            _bus.Register(port, 1, _ports);
        }
        if (taken > 0 && Serilog.Log.IsEnabled(Serilog.Events.LogEventLevel.Debug))
        {
            Serilog.Log.Debug("PCI IDE bus-master BAR moved to I/O 0x{Base:X4}, where {Taken} of its 16 ports belong to other devices; those keep them", baseAddress, taken);
        }
    }

    /// <inheritdoc/>
    protected override void ConfigChanged(int offset, uint before, uint after)
    {
        if (offset == 0x20)
        {
            _bus.Unregister((ushort)(before & 0xFFFC), 16, _ports);
            uint b = after & 0xFFFC;
            if (b != 0 && b != 0xFFFC)
            {
                Map(b); // a BAR sizing write (all ones) leaves the block unmapped until a real base is written
            }
        }
    }
}
