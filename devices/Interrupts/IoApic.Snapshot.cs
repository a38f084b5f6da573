using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>The I/O APIC in a snapshot: the redirection table (remote IRR and delivery status included), pin levels, index and ID.</summary>
public sealed partial class IoApic : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        s.U64s(_redirection);
        s.Bools(_pin);
        _select = s.U32(_select);
        _id = s.U32(_id);
    }
}
