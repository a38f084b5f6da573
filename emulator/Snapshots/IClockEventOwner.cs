using Minix318Emu.Emulator.Clock;

namespace Minix318Emu.Emulator.Snapshots;

/// <summary>
/// A device that schedules clock events. A snapshot stores each pending event as its due tick,
/// its order among same-tick events, the owner's <see cref="ClockOwnerId"/> and the event's
/// kind and argument; loading asks the owner to bind the event again (delegates are not data).
/// </summary>
public interface IClockEventOwner
{
    /// <summary>A name that is the same in every machine of this configuration ("pit", "rtc", ...).</summary>
    string ClockOwnerId { get; }

    /// <summary>
    /// Re-creates what the event does, from the kind and argument the owner gave when scheduling
    /// it, and keeps <paramref name="e"/> wherever the owner keeps its handles (to cancel it).
    /// </summary>
    Action RebindEvent(ScheduledEvent e);
}
