using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Storage;

/// <summary>A floppy drive in a snapshot: head position, the next sector under the head, the disk-change line.</summary>
public sealed partial class FloppyDrive : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        Cylinder = s.I32(Cylinder);
        NextSector = s.I32(NextSector);
        DiskChanged = s.Bool(DiskChanged);
    }
}
