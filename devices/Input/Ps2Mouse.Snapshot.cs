using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Input;

/// <summary>The PS/2 mouse in a snapshot: its settings, modes, buttons and unreported motion.</summary>
public sealed partial class Ps2Mouse : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _pendingCommand = s.I32(_pendingCommand);
        _sampleRate = s.U8(_sampleRate);
        _resolution = s.U8(_resolution);
        _scaling21 = s.Bool(_scaling21);
        _reporting = s.Bool(_reporting);
        _remote = s.Bool(_remote);
        _wrap = s.Bool(_wrap);
        _buttons = s.U8(_buttons);
        _dx = s.I32(_dx);
        _dy = s.I32(_dy);
        _last = s.U8(_last);
    }
}
