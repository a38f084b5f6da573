using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Serial;

/// <summary>A 16550 in a snapshot: registers, the receive FIFO and host bytes not yet moved into it; the sink is the session's.</summary>
public sealed partial class Uart16550 : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        s.Queue(_rxFifo, 1 << 16);
        byte[] host = s.Blob(s.Loading ? [] : _hostInput.ToArray(), 1 << 24);
        if (s.Loading)
        {
            _hostInput.Clear();
            foreach (byte b in host)
            {
                _hostInput.Enqueue(b);
            }
        }
        _ier = s.U8(_ier);
        _lcr = s.U8(_lcr);
        _mcr = s.U8(_mcr);
        _lsrErrors = s.U8(_lsrErrors);
        _msrDelta = s.U8(_msrDelta);
        _scr = s.U8(_scr);
        _divisor = s.U16(_divisor);
        _threInterruptPending = s.Bool(_threInterruptPending);
        _fifoEnabled = s.Bool(_fifoEnabled);
    }
}
