using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Emulator.Clock;

/// <summary>
/// Guest time, derived from the instruction count so that runs are deterministic: one tick is
/// one retired instruction, and <see cref="TicksPerSecond"/> converts ticks to guest seconds.
/// While the CPU is halted, time jumps to the next event (idle costs no host time); the
/// skipped ticks are kept so that time never runs backwards.
/// </summary>
public sealed partial class VirtualClock
{
    private readonly Func<ulong> _instructions;
    private readonly PriorityQueue<ScheduledEvent, (ulong, long)> _queue = new();
    private long _sequence;

    /// <summary>Creates a clock over an instruction counter.</summary>
    public VirtualClock(Func<ulong> instructions, ulong ticksPerSecond)
    {
        if (ticksPerSecond == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ticksPerSecond), "the clock rate must be positive");
        }
        _instructions = instructions;
        TicksPerSecond = ticksPerSecond;
    }

    /// <summary>Guest ticks (instructions) per guest second.</summary>
    public ulong TicksPerSecond { get; }

    /// <summary>Ticks skipped while halted.</summary>
    public ulong IdleTicks { get; private set; }

    /// <summary>The current guest time in ticks.</summary>
    public ulong Now => _instructions() + IdleTicks;

    /// <summary>Converts nanoseconds of guest time to ticks (rounded up, at least 1).</summary>
    public ulong TicksFromNanoseconds(ulong ns) => Math.Max(1, (ulong)((UInt128)ns * TicksPerSecond / 1_000_000_000 + ((UInt128)ns * TicksPerSecond % 1_000_000_000 != 0 ? 1u : 0u)));

    /// <summary>Guest time in nanoseconds.</summary>
    public ulong NowNanoseconds => (ulong)((UInt128)Now * 1_000_000_000 / TicksPerSecond);

    /// <summary>The due time of the earliest event, or ulong.MaxValue when none is scheduled.</summary>
    public ulong NextDue => _queue.TryPeek(out _, out var p) ? p.Item1 : ulong.MaxValue;

    /// <summary>Whether any event is scheduled.</summary>
    public bool HasEvents => _queue.Count > 0;

    /// <summary>
    /// The tick up to which the CPU runs before the machine next looks at the queue. An event
    /// scheduled before it (a device programmed during the slice) lowers it through
    /// <see cref="HorizonLowered"/>, so the event runs on time rather than at the slice's end.
    /// </summary>
    public ulong Horizon { get; set; } = ulong.MaxValue;

    /// <summary>Called with the new horizon when an event is scheduled before the current one.</summary>
    public Action<ulong>? HorizonLowered { get; set; }

    /// <summary>Schedules <paramref name="action"/> at tick <paramref name="due"/>; events at the same tick run in the order scheduled.</summary>
    public ScheduledEvent Schedule(ulong due, Action action) => Enqueue(due, new ScheduledEvent(action, null, 0, 0, host: false));

    /// <summary>
    /// Schedules a device's event: <paramref name="owner"/>, <paramref name="kind"/> and
    /// <paramref name="arg"/> let a snapshot bind it again after a load (see <see cref="IClockEventOwner"/>).
    /// </summary>
    public ScheduledEvent Schedule(ulong due, IClockEventOwner owner, int kind, ulong arg, Action action) =>
        Enqueue(due, new ScheduledEvent(action, owner, kind, arg, host: false));

    /// <summary>
    /// Schedules host input (a console script step, typed keys, polling the terminal): it belongs
    /// to the session rather than the machine, so a snapshot leaves it out.
    /// </summary>
    public ScheduledEvent ScheduleHost(ulong due, Action action) => Enqueue(due, new ScheduledEvent(action, null, 0, 0, host: true));

    private ScheduledEvent Enqueue(ulong due, ScheduledEvent e)
    {
        _queue.Enqueue(e, (due, _sequence++));
        if (due < Horizon)
        {
            Horizon = due;
            HorizonLowered?.Invoke(due);
        }
        return e;
    }

    /// <summary>Runs every event that is due now.</summary>
    public void RunDue()
    {
        ulong now = Now;
        while (_queue.TryPeek(out var e, out var p) && p.Item1 <= now)
        {
            _queue.Dequeue();
            if (!e.Cancelled)
            {
                e.Action();
            }
        }
    }

    /// <summary>Jumps guest time forward to <paramref name="tick"/> (the CPU is halted).</summary>
    public void SkipTo(ulong tick)
    {
        ulong now = Now;
        if (tick > now)
        {
            IdleTicks += tick - now;
        }
    }
}
