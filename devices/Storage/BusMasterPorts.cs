using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Storage;

/// <summary>The bus-master I/O block of the PCI IDE function (16 ports: primary at +0, secondary at +8).</summary>
public sealed partial class BusMasterPorts : IPortDevice
{
    private readonly BusMasterDma?[] _channels;

    /// <summary>Creates the block over the two channels' engines.</summary>
    public BusMasterPorts(BusMasterDma? primary, BusMasterDma? secondary) => _channels = new[] { primary, secondary };

    /// <summary>Gates both engines on the PCI function's bus-master enable bit.</summary>
    public void SetBusMasterEnable(Func<bool> enabled)
    {
        foreach (BusMasterDma? c in _channels)
        {
            if (c is not null)
            {
                c.BusMasterEnabled = enabled;
            }
        }
    }

    /// <summary>The I/O base (BAR4), set by the PCI function.</summary>
    public ushort Base { get; set; }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        int off = port - Base;
        return _channels[off >> 3]?.Read(off & 7, size) ?? 0xFFFF_FFFFu;
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        int off = port - Base;
        _channels[off >> 3]?.Write(off & 7, size, value);
    }
}
