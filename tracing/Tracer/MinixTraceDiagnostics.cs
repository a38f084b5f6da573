namespace Minix318Emu.Tracing.Tracer;

/// <summary>
/// What the tracer noticed while reading a MINIX guest's process table and IPC: every count
/// but <see cref="Deliveries"/> is 0 when the discovered layout is right (the real-boot tests
/// check them).
/// </summary>
public sealed class MinixTraceDiagnostics : Emulator.Snapshots.ISnapshotState
{
    /// <summary>Messages delivered (copy_msg_to_user from a p_delivermsg that returned 0).</summary>
    public long Deliveries { get; internal set; }

    /// <summary>Deliveries whose copy to the receiver failed (the kernel asks VM for the page and copies again later: counted once, when it succeeds).</summary>
    public long FailedCopies { get; internal set; }

    /// <summary>Copies at delivermsg's call site whose source is not p_delivermsg of a table entry (0: delivermsg copies from nowhere else).</summary>
    public long CopiesOffLayout { get; internal set; }

    /// <summary>User-mode hooks where proc_ptr did not point at a table entry.</summary>
    public long CurrentProcessMisses { get; internal set; }

    /// <summary>(process, boot module) pairs where a process ran a module's traced code under another name than the boot image table gives that module (forks count as the same name: the kernel appends "*F" to a child's name).</summary>
    public long ImageNameMismatches { get; internal set; }

    /// <summary>Deliveries whose sender endpoint no longer names a live slot (the sender exited), recorded without a sender process.</summary>
    public long UnknownSenders { get; internal set; }

    /// <inheritdoc/>
    public void SyncState(Emulator.Snapshots.StateSync s)
    {
        Deliveries = s.I64(Deliveries);
        FailedCopies = s.I64(FailedCopies);
        CopiesOffLayout = s.I64(CopiesOffLayout);
        CurrentProcessMisses = s.I64(CurrentProcessMisses);
        ImageNameMismatches = s.I64(ImageNameMismatches);
        UnknownSenders = s.I64(UnknownSenders);
    }
}
