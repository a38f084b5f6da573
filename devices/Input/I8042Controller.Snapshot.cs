using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Input;

/// <summary>The i8042 in a snapshot: its queues, output buffer, command byte, status, pending commands, output port, scan state, and the mouse.</summary>
public sealed partial class I8042Controller : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        s.Queue(_output, 1 << 16);
        s.Queue(_auxOutput, 1 << 16);
        s.Queue(_keyboardQueue, 1 << 24);
        _outputIsAux = s.Bool(_outputIsAux);
        _commandByte = s.U8(_commandByte);
        _status = s.U8(_status);
        _pendingControllerCommand = s.I32(_pendingControllerCommand);
        _pendingKeyboardCommand = s.I32(_pendingKeyboardCommand);
        _outputPort = s.U8(_outputPort);
        _scanSet = s.I32(_scanSet);
        _scanning = s.Bool(_scanning);
        _break = s.Bool(_break);
        _outputBuffer = s.U8(_outputBuffer);
        Mouse.SyncState(s);
    }
}
