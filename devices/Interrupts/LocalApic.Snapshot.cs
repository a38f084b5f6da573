using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>The local APIC in a snapshot: its registers and the timer's start; the timer's expiry event is bound again by the clock.</summary>
public sealed partial class LocalApic : ISnapshotState, IClockEventOwner
{
    /// <inheritdoc/>
    public string ClockOwnerId => "lapic";

    /// <inheritdoc/>
    public Action RebindEvent(ScheduledEvent e)
    {
        _timerEvent = e;
        ulong due = e.Arg;
        return () => Expire(due);
    }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        s.U32s(_irr);
        s.U32s(_isr);
        s.U32s(_tmr);
        _id = s.U32(_id);
        _tpr = s.U32(_tpr);
        _ldr = s.U32(_ldr);
        _dfr = s.U32(_dfr);
        _svr = s.U32(_svr);
        _esr = s.U32(_esr);
        _esrPending = s.U32(_esrPending);
        _icrLow = s.U32(_icrLow);
        _icrHigh = s.U32(_icrHigh);
        _lvtTimer = s.U32(_lvtTimer);
        _lvtLint0 = s.U32(_lvtLint0);
        _lvtLint1 = s.U32(_lvtLint1);
        _lvtError = s.U32(_lvtError);
        _initialCount = s.U32(_initialCount);
        _divide = s.U32(_divide);
        _timerStart = s.U64(_timerStart);
        _hardwareEnabled = s.Bool(_hardwareEnabled);
        if (s.Loading)
        {
            _timerEvent = null; // the clock's part binds the pending expiry again
            Recompute();
        }
    }
}
