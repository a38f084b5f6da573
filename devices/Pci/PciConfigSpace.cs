using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Pci;

/// <summary>
/// PCI configuration mechanism #1 (PCI Local Bus 2.1, 3.2.2.3.2): the address register at
/// 0xCF8 and the data window at 0xCFC-0xCFF. Absent functions read all ones. Bus 0 only.
/// </summary>
public sealed partial class PciConfigSpace : IPortDevice
{
    private readonly Dictionary<(int Device, int Function), PciFunction> _functions = new();
    private uint _address;

    /// <summary>Registers ports 0xCF8-0xCFF.</summary>
    public void Attach(IoBus bus) => bus.Register(0xCF8, 8, this);

    /// <summary>Adds a function at bus 0, <paramref name="device"/>.<paramref name="function"/>.</summary>
    public void Add(int device, int function, PciFunction f) => _functions[(device, function)] = f;

    /// <summary>The function at bus 0, device.function, or null.</summary>
    public PciFunction? Find(int device, int function) => _functions.GetValueOrDefault((device, function));

    private PciFunction? Target(out int register)
    {
        register = (int)(_address & 0xFC);
        if ((_address & 0x8000_0000) == 0 || ((_address >> 16) & 0xFF) != 0)
        {
            return null;
        }
        return Find((int)((_address >> 11) & 0x1F), (int)((_address >> 8) & 7));
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        if (port < 0xCFC)
        {
            return port == 0xCF8 && size == 4 ? _address : 0xFFFF_FFFFu;
        }
        int shift = 8 * (port - 0xCFC);
        PciFunction? f = Target(out int reg);
        uint dword = f?.ReadConfig(reg) ?? 0xFFFF_FFFFu;
        uint v = dword >> shift;
        return size == 4 ? v : v & ((1u << (8 * size)) - 1);
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        if (port < 0xCFC)
        {
            if (port == 0xCF8 && size == 4)
            {
                _address = value & 0x80FF_FFFC;
            }
            return;
        }
        int offset = port - 0xCFC;
        PciFunction? f = Target(out int reg);
        if (f is null)
        {
            return;
        }
        int mask = ((1 << size) - 1) << offset;
        f.WriteConfig(reg, value << (8 * offset), mask & 0xF);
    }
}
