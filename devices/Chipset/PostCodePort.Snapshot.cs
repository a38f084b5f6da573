using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Chipset;

/// <summary>Port 0x80 in a snapshot: the last POST code.</summary>
public sealed partial class PostCodePort : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s) => _last = s.U8(_last);
}
