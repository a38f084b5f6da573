namespace Minix318Emu.Emulator.Snapshots;

/// <summary>
/// A state file cannot be written or resumed: corrupt, truncated, foreign, made by another
/// format version or for another machine, or a machine part that has no snapshot support.
/// The message is one line naming the file or part and the problem.
/// </summary>
public sealed class SnapshotException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SnapshotException(string message) : base(message)
    {
    }
}
