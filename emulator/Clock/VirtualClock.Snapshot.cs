using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Emulator.Clock;

/// <summary>
/// The clock's part of a snapshot: idle ticks and the queue as (due, owner id, kind, argument)
/// entries in the order they will run. Host input is left out, and the entries are numbered
/// afresh on load (0..n-1, later events after them), which keeps their order while making the
/// state independent of how many host events a session ever scheduled. An event without an
/// owner cannot be bound again, so saving one fails, naming its due tick.
/// </summary>
public sealed partial class VirtualClock : ISnapshotState
{
    private readonly Dictionary<string, IClockEventOwner?> _owners = new();

    /// <summary>Makes <paramref name="owner"/>'s events loadable; two owners with one id make both unusable in snapshots.</summary>
    public void RegisterOwner(IClockEventOwner owner)
    {
        _owners[owner.ClockOwnerId] = _owners.TryGetValue(owner.ClockOwnerId, out var known) && !ReferenceEquals(known, owner) ? null : owner;
    }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        IdleTicks = s.U64(IdleTicks);
        var saved = new List<(ulong Due, long Seq, ScheduledEvent E)>();
        if (!s.Loading)
        {
            foreach (var (e, (due, seq)) in _queue.UnorderedItems)
            {
                if (e.Cancelled || e.Host)
                {
                    continue;
                }
                if (e.Owner is null)
                {
                    throw s.Corrupt($"an event due at tick {due} has no owner that could bind it again after a load (it was scheduled by code without snapshot support)");
                }
                RequireOwner(s, e.Owner.ClockOwnerId);
                saved.Add((due, seq, e));
            }
            saved.Sort((a, b) => a.Due != b.Due ? a.Due.CompareTo(b.Due) : a.Seq.CompareTo(b.Seq));
        }
        int n = s.Count(saved.Count, 1 << 16, "clock events");
        if (s.Loading)
        {
            _queue.Clear();
        }
        for (int i = 0; i < n; i++)
        {
            var (due, _, e) = s.Loading ? default : saved[i];
            due = s.U64(due);
            string owner = s.Str(e?.Owner!.ClockOwnerId ?? "");
            int kind = s.I32(e?.Kind ?? 0);
            ulong arg = s.U64(e?.Arg ?? 0);
            if (s.Loading)
            {
                IClockEventOwner o = RequireOwner(s, owner);
                var restored = new ScheduledEvent(static () => { }, o, kind, arg, host: false);
                restored.Action = o.RebindEvent(restored);
                _queue.Enqueue(restored, (due, i));
            }
        }
        if (s.Loading)
        {
            _sequence = n;
        }
    }

    private IClockEventOwner RequireOwner(StateSync s, string id) =>
        _owners.TryGetValue(id, out var o) && o is not null
            ? o
            : throw s.Corrupt($"no clock event owner '{id}' is registered on this machine (or two are)");
}
