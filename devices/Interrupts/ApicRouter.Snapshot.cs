using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>The interrupt routing in a snapshot: the IMCR and a pending ExtINT (the 8259 and APICs are parts of their own).</summary>
public sealed partial class ApicRouter : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _imcrSelect = s.U8(_imcrSelect);
        _imcr = s.U8(_imcr);
        _extInt = s.Bool(_extInt);
    }
}
