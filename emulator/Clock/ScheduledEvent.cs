using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Emulator.Clock;

/// <summary>A handle on a scheduled event, so its owner can cancel it.</summary>
public sealed class ScheduledEvent
{
    internal ScheduledEvent(Action action, IClockEventOwner? owner, int kind, ulong arg, bool host)
    {
        Action = action;
        Owner = owner;
        Kind = kind;
        Arg = arg;
        Host = host;
    }

    internal Action Action { get; set; }

    /// <summary>The device that scheduled it, which binds it again after a snapshot is loaded; null for an anonymous event.</summary>
    public IClockEventOwner? Owner { get; }

    /// <summary>Which of its owner's events this is.</summary>
    public int Kind { get; }

    /// <summary>The owner's argument (a due time the action needs, for example).</summary>
    public ulong Arg { get; }

    /// <summary>Host input rather than machine state: snapshots leave it out.</summary>
    public bool Host { get; }

    /// <summary>Whether the event was cancelled.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Cancels the event.</summary>
    public void Cancel() => Cancelled = true;
}
