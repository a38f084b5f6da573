using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Dma;

/// <summary>
/// The ISA DMA pair in a snapshot: both 8237s and the page/scratch registers. A device holding
/// DREQ is not saved here: it is the device's state (the floppy controller's part requests again).
/// </summary>
public sealed partial class IsaDma : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _first.SyncState(s);
        _second.SyncState(s);
        s.Bytes(_scratchPages);
    }
}
