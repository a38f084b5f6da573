using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Storage;

/// <summary>The bus-master I/O block in a snapshot: nothing of its own (each engine is its IDE channel's, the base is BAR4 in the PCI header).</summary>
public sealed partial class BusMasterPorts : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
    }
}
