using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Firmware;

/// <summary>The ACPI power-management block in a snapshot: PM1 status, enable and control (the PM timer is read from the clock).</summary>
public sealed partial class AcpiPm : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _status = s.U16(_status);
        _enable = s.U16(_enable);
        _control = s.U16(_control);
    }
}
