using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Chipset;

/// <summary>Port 0x92 in a snapshot: no state of its own (the A20 gate it drives is memory's).</summary>
public sealed partial class SystemControlPortA : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
    }
}
