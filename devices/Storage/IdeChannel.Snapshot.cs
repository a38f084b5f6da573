using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// An IDE channel in a snapshot: task-file registers, status, the sector buffer and the command
/// in progress, each drive's guest-set geometry and modes, and the channel's bus-master engine.
/// The disks' contents are the board's part (their copy-on-write overlays).
/// </summary>
public sealed partial class IdeChannel : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        for (int unit = 0; unit < 2; unit++)
        {
            bool present = s.Bool(_drives[unit] is not null);
            if (present != (_drives[unit] is not null))
            {
                throw s.Corrupt($"drive {unit} is {(present ? "present" : "absent")} in the state and {(present ? "absent" : "present")} here");
            }
            _drives[unit]?.SyncState(s);
        }
        s.Bytes(_status);
        s.Bytes(_buffer);
        _feature = s.U8(_feature);
        _error = s.U8(_error);
        _nsect = s.U8(_nsect);
        _sector = s.U8(_sector);
        _lcyl = s.U8(_lcyl);
        _hcyl = s.U8(_hcyl);
        _select = s.U8(_select);
        _hobNsect = s.U8(_hobNsect);
        _hobSector = s.U8(_hobSector);
        _hobLcyl = s.U8(_hobLcyl);
        _hobHcyl = s.U8(_hobHcyl);
        _control = s.U8(_control);
        _pending[0] = s.Bool(_pending[0]);
        _pending[1] = s.Bool(_pending[1]);
        _cmdUnit = s.I32(_cmdUnit);
        if (_cmdUnit is not (0 or 1))
        {
            throw s.Corrupt($"the command's drive {_cmdUnit} does not exist");
        }
        _transfer = s.Enum(_transfer);
        _dataPos = s.I32(_dataPos);
        _dataEnd = s.I32(_dataEnd);
        _lba = s.I64(_lba);
        _remaining = s.I64(_remaining);
        _blockSectors = s.I32(_blockSectors);
        int drive = s.I32(_transferDrive is null ? -1 : ReferenceEquals(_transferDrive, _drives[0]) ? 0 : 1);
        _transferDrive = drive switch
        {
            -1 => null,
            0 or 1 => _drives[drive] ?? throw s.Corrupt($"the command in progress is on drive {drive}, which is absent"),
            _ => throw s.Corrupt($"drive {drive} does not exist"),
        };
        bool busMaster = s.Bool(BusMaster is not null);
        if (busMaster != (BusMaster is not null))
        {
            throw s.Corrupt("the bus-master engine is present on one side only");
        }
        BusMaster?.SyncState(s);
    }
}
