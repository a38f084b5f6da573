using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Dma;

/// <summary>One 8237 in a snapshot: flip-flop, status, command and the four channels.</summary>
public sealed partial class Dma8237 : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _flipFlop = s.Bool(_flipFlop);
        _status = s.U8(_status);
        _command = s.U8(_command);
        foreach (DmaChannel c in Channels)
        {
            c.SyncState(s);
        }
    }
}
