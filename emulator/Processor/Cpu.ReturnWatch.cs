namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Return detection for traced calls. A RET always ends a block, so a call's return is seen at
/// the next block entry: EIP equals the return address and ESP is above the entry ESP in the
/// same address space. With no call pending the check is one integer compare per block.
/// </summary>
public sealed partial class Cpu
{
    private readonly List<PendingReturn> _pendingReturns = new();
    private int _pendingReturnCount;

    /// <summary>A call waiting for its return.</summary>
    private readonly record struct PendingReturn(uint ReturnLinear, uint EntryEsp, uint Cr3, long Token, Action<long> OnReturn);

    /// <summary>
    /// Watches for the return of a call entered with <paramref name="entryEsp"/> (ESP at the
    /// called function's first instruction) to <paramref name="returnLinear"/>; when it is seen,
    /// <paramref name="onReturn"/> gets <paramref name="token"/> (EAX holds the result then).
    /// Each watch carries its own callback, so several observers can watch returns at once.
    /// </summary>
    public void WatchReturn(uint returnLinear, uint entryEsp, long token, Action<long> onReturn)
    {
        _pendingReturns.Add(new PendingReturn(returnLinear, entryEsp, Cr3, token, onReturn));
        _pendingReturnCount = _pendingReturns.Count;
    }

    private void CheckReturns(uint lin)
    {
        uint esp = R[Reg.Esp];
        // Innermost first: nested traced calls return in reverse order.
        for (int i = _pendingReturns.Count - 1; i >= 0; i--)
        {
            PendingReturn p = _pendingReturns[i];
            if (p.ReturnLinear == lin && esp > p.EntryEsp && p.Cr3 == Cr3)
            {
                _pendingReturns.RemoveAt(i);
                _pendingReturnCount = _pendingReturns.Count;
                p.OnReturn(p.Token);
                return;
            }
        }
    }
}
