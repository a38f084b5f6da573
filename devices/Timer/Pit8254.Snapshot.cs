using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Timer;

/// <summary>The 8254 in a snapshot: its three channels; the IRQ 0 transition event is bound again by the clock.</summary>
public sealed partial class Pit8254 : ISnapshotState, IClockEventOwner
{
    private const int RescheduleEvent = 0, LowPulseEvent = 1;

    /// <inheritdoc/>
    public string ClockOwnerId => "pit";

    /// <inheritdoc/>
    public Action RebindEvent(ScheduledEvent e)
    {
        _irqEvent = e;
        return e.Kind == LowPulseEvent ? _lowPulse : _reschedule;
    }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        foreach (PitChannel c in _channels)
        {
            c.SyncState(s);
        }
        if (s.Loading)
        {
            _irqEvent = null;
        }
    }
}
