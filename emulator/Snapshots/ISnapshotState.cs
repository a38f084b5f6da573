namespace Minix318Emu.Emulator.Snapshots;

/// <summary>
/// A machine part whose state goes into a snapshot. One method serves both directions (the
/// pattern of Dolphin's <c>DoState(PointerWrap&amp;)</c> and MAME's save items): every field is
/// passed through the <see cref="StateSync"/> in the same order when saving and when loading,
/// so the two can never drift apart. Caches derived from the state (a TLB, decoded blocks,
/// a pending-interrupt summary) are not saved; the part rebuilds them when
/// <see cref="StateSync.Loading"/> is set.
/// </summary>
public interface ISnapshotState
{
    /// <summary>Writes (saving) or reads back (loading) the part's state, field by field.</summary>
    void SyncState(StateSync s);
}
