using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// The floppy controller in a snapshot: registers, the command and result phases, a data
/// command's execution phase (its drive by number), the sector buffer, each drive's head, and
/// whether it holds DREQ on channel 2 (bound again here, without starting a transfer).
/// </summary>
public sealed partial class FloppyController : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        for (int unit = 0; unit < _drives.Length; unit++)
        {
            bool present = s.Bool(_drives[unit] is not null);
            if (present != (_drives[unit] is not null))
            {
                throw s.Corrupt($"floppy drive {unit} is {(present ? "present" : "absent")} in the state and {(present ? "absent" : "present")} here");
            }
            _drives[unit]?.SyncState(s);
        }
        s.List(_command, 64);
        s.Queue(_result, 64);
        var pending = s.Loading ? [] : _interrupts.ToArray();
        int n = s.Count(pending.Length, 64, "pending interrupt statuses");
        if (s.Loading)
        {
            _interrupts.Clear();
        }
        for (int i = 0; i < n; i++)
        {
            byte st0 = s.U8(s.Loading ? (byte)0 : pending[i].St0);
            byte pcn = s.U8(s.Loading ? (byte)0 : pending[i].Pcn);
            if (s.Loading)
            {
                _interrupts.Enqueue((st0, pcn));
            }
        }
        s.Bytes(_sector);
        _dor = s.U8(_dor);
        _configure = s.U8(_configure);
        _precompTrack = s.U8(_precompTrack);
        _stepRates = s.U8(_stepRates);
        _headLoad = s.U8(_headLoad);
        _lastEot = s.U8(_lastEot);
        _locked = s.Bool(_locked);
        _dataRate = s.I32(_dataRate);
        _resultIrq = s.Bool(_resultIrq);
        _dataIrq = s.Bool(_dataIrq);
        if (s.Bool(_xfer is not null))
        {
            SyncTransfer(s);
        }
        else if (s.Loading)
        {
            _xfer = null;
        }
        bool dreq = s.Bool(_dma is not null && ReferenceEquals(_dma.Channel(DmaChannelNumber).Client, this));
        if (s.Loading && _dma is not null)
        {
            _dma.Channel(DmaChannelNumber).Client = dreq ? this : null;
        }
    }

    private void SyncTransfer(StateSync s)
    {
        Transfer x = s.Loading ? new Transfer() : _xfer!;
        x.Op = s.Enum(x.Op);
        x.Select = s.U8(x.Select);
        int unit = s.I32(Array.IndexOf(_drives, x.Drive));
        if ((uint)unit >= (uint)_drives.Length || _drives[unit] is not { } drive)
        {
            throw s.Corrupt($"the command in progress is on floppy drive {unit}, which is absent");
        }
        x.Drive = drive;
        x.C = s.I32(x.C);
        x.H = s.I32(x.H);
        x.R = s.I32(x.R);
        x.Eot = s.I32(x.Eot);
        x.MultiTrack = s.Bool(x.MultiTrack);
        x.Skip = s.Bool(x.Skip);
        x.Dma = s.Bool(x.Dma);
        x.Position = s.I32(x.Position);
        x.SectorsLeft = s.I32(x.SectorsLeft);
        x.Filler = s.U8(x.Filler);
        x.St2 = s.U8(x.St2);
        _xfer = x;
    }
}
