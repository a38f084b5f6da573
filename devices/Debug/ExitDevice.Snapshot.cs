using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Debug;

/// <summary>The exit device in a snapshot: no state (a write ends the run at once).</summary>
public sealed partial class ExitDevice : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
    }
}
