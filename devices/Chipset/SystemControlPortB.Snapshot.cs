using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Chipset;

/// <summary>Port 0x61 in a snapshot: the latched control bits (gate 2 and speaker data; the rest is read live).</summary>
public sealed partial class SystemControlPortB : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s) => _value = s.U8(_value);
}
