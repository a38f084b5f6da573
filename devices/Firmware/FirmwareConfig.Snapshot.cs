using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// fw_cfg in a snapshot: the selected item, the read position in it and the high half of a DMA
/// address written but not yet started. The items themselves are the board's configuration,
/// rebuilt identically by the machine the state is loaded into (its description is checked).
/// </summary>
public sealed partial class FirmwareConfig : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _selector = s.U16(_selector);
        int offset = s.I32(_offset);
        _dmaHigh = s.U32(_dmaHigh);
        if (s.Loading)
        {
            Select(_selector);
            if (offset < 0 || offset > (_current?.Length ?? 0))
            {
                throw s.Corrupt($"fw_cfg read position {offset} is outside item 0x{_selector:X4}");
            }
            _offset = offset;
        }
    }
}
