namespace Minix318Emu.Emulator.Io;

/// <summary>
/// The I/O port space: 65536 byte-wide ports, each routed to at most one device.
/// A port with no device reads as all ones, as an ISA bus with nothing driving it does.
/// </summary>
public sealed class IoBus
{
    private readonly IPortDevice?[] _devices = new IPortDevice?[65536];

    /// <summary>Called for every access to a port no device claims (for diagnostics); may be null.</summary>
    public Action<ushort, bool, uint>? Unclaimed { get; set; }

    /// <summary>Routes ports <paramref name="first"/> .. first+count-1 to <paramref name="device"/>.</summary>
    public void Register(ushort first, int count, IPortDevice device)
    {
        for (int i = 0; i < count; i++)
        {
            int port = first + i;
            if (_devices[port] is { } existing && !ReferenceEquals(existing, device))
            {
                throw new InvalidOperationException($"I/O port 0x{port:X4} is already claimed by {existing.GetType().Name}");
            }
            _devices[port] = device;
        }
    }

    /// <summary>Releases ports first .. first+count-1 that <paramref name="device"/> claims (a relocated PCI BAR).</summary>
    public void Unregister(ushort first, int count, IPortDevice device)
    {
        for (int i = 0; i < count; i++)
        {
            if (ReferenceEquals(_devices[first + i], device))
            {
                _devices[first + i] = null;
            }
        }
    }

    /// <summary>Whether a device claims <paramref name="port"/>.</summary>
    public bool IsClaimed(ushort port) => _devices[port] is not null;

    /// <summary>The device on a port, or null.</summary>
    public IPortDevice? DeviceAt(ushort port) => _devices[port];

    /// <summary>Reads a port. A multi-byte access to a device that claims only the first port is given whole to it.</summary>
    public uint Read(ushort port, int size)
    {
        IPortDevice? device = _devices[port];
        if (device is null)
        {
            Unclaimed?.Invoke(port, false, 0);
            return size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFFFFFFu;
        }
        return device.Read(port, size);
    }

    /// <summary>Writes a port.</summary>
    public void Write(ushort port, int size, uint value)
    {
        IPortDevice? device = _devices[port];
        if (device is null)
        {
            Unclaimed?.Invoke(port, true, value);
            return;
        }
        device.Write(port, size, value);
    }
}
