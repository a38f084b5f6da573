using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Storage;

/// <summary>A bus-master IDE engine in a snapshot: command, status and the PRD table address.</summary>
public sealed partial class BusMasterDma : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _command = s.U8(_command);
        _status = s.U8(_status);
        _prdTable = s.U32(_prdTable);
    }
}
