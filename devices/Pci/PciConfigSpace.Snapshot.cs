using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Pci;

/// <summary>PCI configuration space in a snapshot: the address latch and every function's header, in device.function order.</summary>
public sealed partial class PciConfigSpace : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _address = s.U32(_address);
        foreach (var key in _functions.Keys.Order())
        {
            s.I32(key.Device * 8 + key.Function);
            _functions[key].SyncState(s);
        }
    }
}
