namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Data watchpoints through the MMU: pages holding a watched range are never entered in the
/// software TLB, so every access to them takes the slow path, which checks the ranges. With no
/// watchpoint set nothing on the fast path changes.
/// </summary>
public sealed partial class Cpu
{
    private readonly List<(uint Start, uint Length, WatchKind Kind)> _watches = new();
    private readonly HashSet<uint> _watchPages = new();
    private bool _exitBlock; // leave the current block after this instruction (a watchpoint hit or code invalidation)

    /// <summary>The watchpoint hit by the last instruction, if any; cleared by the debugger.</summary>
    public WatchHit? LastWatchHit { get; set; }

    /// <summary>Adds a watchpoint on <paramref name="length"/> bytes of linear memory at <paramref name="start"/>.</summary>
    public void AddWatch(uint start, uint length, WatchKind kind)
    {
        _watches.Add((start, Math.Max(1, length), kind));
        RebuildWatchPages();
    }

    /// <summary>Removes a watchpoint; false if there was none like it.</summary>
    public bool RemoveWatch(uint start, uint length, WatchKind kind)
    {
        bool removed = _watches.Remove((start, Math.Max(1, length), kind));
        RebuildWatchPages();
        return removed;
    }

    private void RebuildWatchPages()
    {
        _watchPages.Clear();
        foreach (var w in _watches)
        {
            AddWatchPages(w.Start, w.Length);
        }
        for (int n = 0; n < 4; n++)
        {
            if ((_drDataMask & (1 << n)) != 0)
            {
                AddWatchPages(_drData[n].Start, _drData[n].Length); // data breakpoints take the same slow path
            }
        }
        FlushTlb();
    }

    private void AddWatchPages(uint start, uint length)
    {
        for (ulong p = start >> 12; p <= (start + (ulong)length - 1) >> 12; p++)
        {
            _watchPages.Add((uint)p);
        }
    }

    /// <summary>Whether the TLB may hold this linear page (not while it is watched).</summary>
    private bool Cacheable(uint lin) => _watchPages.Count == 0 || !_watchPages.Contains(lin >> 12);

    /// <summary>Checks an access against the watchpoints (slow path only).</summary>
    private void CheckWatch(uint lin, int size, bool write)
    {
        if (_drDataMask != 0)
        {
            CheckDataBreakpoints(lin, size, write);
        }
        if (_watches.Count == 0)
        {
            return;
        }
        foreach (var w in _watches)
        {
            bool overlaps = lin < w.Start + w.Length && w.Start < lin + (uint)size;
            bool kindMatches = w.Kind == WatchKind.Access || (w.Kind == WatchKind.Write) == write;
            if (overlaps && kindMatches)
            {
                LastWatchHit = new WatchHit(w.Start, w.Kind, write);
                _exitBlock = true;
                _stopRequested = true;
                return;
            }
        }
    }
}
