namespace Minix318Emu.Tracing;

/// <summary>
/// How far a long step has got (bytes of a trace read, calls analysed or exported): the worker
/// stores its count now and then, a status line's thread reads it. Plain volatile fields, so
/// reporting costs a store and nothing is reported when no one passes one.
/// </summary>
public sealed class WorkProgress
{
    private long _done, _total;

    /// <summary>What is counted, for display: "bytes" or "calls".</summary>
    public string Unit { get; private set; } = "";

    /// <summary>Units done so far.</summary>
    public long Done => Volatile.Read(ref _done);

    /// <summary>Units in the whole step (0 until a step starts).</summary>
    public long Total => Volatile.Read(ref _total);

    /// <summary>A new step of <paramref name="total"/> <paramref name="unit"/>, none done.</summary>
    public void Start(long total, string unit)
    {
        Volatile.Write(ref _total, 0);
        Volatile.Write(ref _done, 0);
        Unit = unit;
        Volatile.Write(ref _total, total);
    }

    /// <summary>Sets the units done.</summary>
    public void Report(long done) => Volatile.Write(ref _done, done);
}
