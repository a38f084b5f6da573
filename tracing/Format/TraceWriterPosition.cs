using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Tracing.Format;

/// <summary>
/// Where a <see cref="TraceWriter"/> stood when a machine snapshot was saved (section
/// "trace-writer" of a state saved by `trace`): the bytes already handed to the file and the
/// SHA-256 of them (the footer's running hash, and the check that the file continued is the one
/// written), the block being filled, the string table in id order, the functions and processes
/// defined, and the record counts. <see cref="TraceWriter.Continue"/> takes the file up again
/// from here, so the finished file is the uninterrupted trace byte for byte.
/// </summary>
public sealed class TraceWriterPosition : ISnapshotState
{
    /// <summary>Bytes of the file before the block being filled.</summary>
    public long Handed { get; internal set; }

    /// <summary>SHA-256 of those bytes.</summary>
    public byte[] HandedSha256 { get; internal set; } = new byte[32];

    /// <summary>The block being filled (records not yet handed to the file).</summary>
    public byte[] Block { get; internal set; } = [];

    /// <summary>The strings defined, by id.</summary>
    public List<string> Strings { get; } = new();

    /// <summary>The function ids defined.</summary>
    public List<int> Functions { get; } = new();

    /// <summary>The process ids defined.</summary>
    public List<int> Processes { get; } = new();

    /// <summary>Call records written.</summary>
    public long Calls { get; internal set; }

    /// <summary>Message records written.</summary>
    public long Messages { get; internal set; }

    /// <summary>Calls in blocks already handed to the file.</summary>
    public long CallsInBlocks { get; internal set; }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        Handed = s.I64(Handed);
        s.Bytes(HandedSha256);
        Block = s.Blob(Block, 1 << 24);
        SyncList(s, Strings, 1 << 24, "trace strings", v => s.Str(v));
        SyncList(s, Functions, 1 << 24, "trace functions", v => s.I32(v));
        SyncList(s, Processes, 1 << 24, "trace processes", v => s.I32(v));
        Calls = s.I64(Calls);
        Messages = s.I64(Messages);
        CallsInBlocks = s.I64(CallsInBlocks);
        if (Handed < 0 || Calls < 0 || Messages < 0 || CallsInBlocks < 0 || CallsInBlocks > Calls)
        {
            throw s.Corrupt($"impossible trace position: {Handed} bytes, {Calls} calls ({CallsInBlocks} handed), {Messages} messages");
        }
    }

    private static void SyncList<T>(StateSync s, List<T> list, int max, string what, Func<T, T> item)
    {
        int n = s.Count(list.Count, max, what);
        if (s.Loading)
        {
            list.Clear();
        }
        for (int i = 0; i < n; i++)
        {
            T v = item(s.Loading ? default! : list[i]);
            if (s.Loading)
            {
                list.Add(v);
            }
        }
    }
}
