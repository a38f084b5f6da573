using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>The 8259 pair in a snapshot: both controllers, the statistics, and INTR recomputed from them.</summary>
public sealed partial class DualPic : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        Master.SyncState(s);
        Slave.SyncState(s);
        Acknowledged = s.I64(Acknowledged);
        Spurious = s.I64(Spurious);
        if (s.Loading)
        {
            Update();
        }
    }
}
