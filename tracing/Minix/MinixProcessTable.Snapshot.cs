using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Tracing.Minix;

/// <summary>What the tracer has learnt of MINIX's process table, in a snapshot: the layout, the p_delivermsg and p_cr3 offsets and the CR3 samples still narrowing the latter.</summary>
public sealed partial class MinixProcessTable : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _nextAttempt = s.U64(_nextAttempt);
        if (s.Bool(Layout is not null))
        {
            ProcessTableLayout l = Layout ?? new ProcessTableLayout(0, 0, 0, 0);
            Layout = new ProcessTableLayout(s.I32(l.Stride), s.I32(l.Count), s.I32(l.NameOffset), s.I32(l.EndpointOffset));
            if (Layout.Stride <= 0 || Layout.Stride > _entry.Length || Layout.Count <= 0 || (long)Layout.Stride * Layout.Count > Size)
            {
                throw s.Corrupt($"a process table layout of {Layout.Count} slots of {Layout.Stride} bytes does not fit the kernel's table");
            }
        }
        else if (s.Loading)
        {
            Layout = null;
        }
        DeliverMsgOffset = s.I32(DeliverMsgOffset);
        DeliverMsgConflicts = s.I64(DeliverMsgConflicts);
        Cr3Offset = s.I32(Cr3Offset);
        Cr3Mismatches = s.I64(Cr3Mismatches);
        if (s.Bool(_cr3Candidates is not null))
        {
            var c = _cr3Candidates ?? new List<int>();
            int n = s.Count(c.Count, 4096, "CR3 candidates");
            var loaded = new List<int>(n);
            for (int i = 0; i < n; i++)
            {
                loaded.Add(s.I32(s.Loading ? 0 : c[i]));
            }
            _cr3Candidates = loaded;
        }
        else if (s.Loading)
        {
            _cr3Candidates = null;
        }
        _firstCr3Sample = s.U32(_firstCr3Sample);
        _sawSecondCr3 = s.Bool(_sawSecondCr3);
    }
}
