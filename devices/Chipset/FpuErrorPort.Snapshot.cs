using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Chipset;

/// <summary>Port 0xF0 in a snapshot: no state of its own (FERR# is the CPU's, the IRQ 13 level the PIC's).</summary>
public sealed partial class FpuErrorPort : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
    }
}
