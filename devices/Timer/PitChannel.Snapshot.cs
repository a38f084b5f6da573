using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Timer;

/// <summary>One 8254 channel in a snapshot: reload value, load time, access and latch state, mode, gate.</summary>
public sealed partial class PitChannel : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _count = s.I32(_count);
        _loadTime = s.I64(_loadTime);
        _rwMode = s.I32(_rwMode);
        _readState = s.I32(_readState);
        _writeState = s.I32(_writeState);
        _writeLatch = s.U8(_writeLatch);
        _latchedCount = s.I32(_latchedCount);
        _latchedBytes = s.I32(_latchedBytes);
        _latchedCountState = s.I32(_latchedCountState);
        _status = s.U8(_status);
        _statusLatched = s.Bool(_statusLatched);
        _nullCount = s.Bool(_nullCount);
        _counting = s.Bool(_counting);
        Mode = s.I32(Mode);
        _bcd = s.Bool(_bcd);
        Gate = s.Bool(Gate);
    }
}
