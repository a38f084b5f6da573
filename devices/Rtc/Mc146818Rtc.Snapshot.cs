using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Rtc;

/// <summary>The RTC/CMOS in a snapshot: the 128 bytes, the wall-clock offset, frozen fields, index, NMI mask; its periodic and once-a-second events are bound again by the clock.</summary>
public sealed partial class Mc146818Rtc : ISnapshotState, IClockEventOwner
{
    private const int PeriodicEvent = 0, SecondEvent = 1;

    /// <inheritdoc/>
    public string ClockOwnerId => "rtc";

    /// <inheritdoc/>
    public Action RebindEvent(ScheduledEvent e)
    {
        if (e.Kind == PeriodicEvent)
        {
            _periodicEvent = e;
        }
        else
        {
            _secondEvent = e;
        }
        return OnEvent;
    }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        s.Bytes(_cmos);
        _offsetNs = s.I64(_offsetNs);
        _frozen = new RtcFields(s.I32(_frozen.Year), s.I32(_frozen.Month), s.I32(_frozen.Day), s.I32(_frozen.Hour),
            s.I32(_frozen.Minute), s.I32(_frozen.Second), s.I32(_frozen.Weekday));
        _index = s.U8(_index);
        _lastCheckNs = s.I64(_lastCheckNs);
        NmiMasked = s.Bool(NmiMasked);
        if (s.Loading)
        {
            _periodicEvent = _secondEvent = null;
        }
    }
}
