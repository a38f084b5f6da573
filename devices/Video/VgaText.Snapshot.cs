using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Video;

/// <summary>VGA text in a snapshot: the 128 KiB video window, the CRTC registers and index, the miscellaneous output register, the retrace toggle.</summary>
public sealed partial class VgaText : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        s.Bytes(_vram);
        s.Bytes(_crtc);
        _crtcIndex = s.U8(_crtcIndex);
        _misc = s.U8(_misc);
        _retrace = s.Bool(_retrace);
    }
}
