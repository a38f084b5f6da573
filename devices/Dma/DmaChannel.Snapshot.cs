using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Dma;

/// <summary>One 8237 channel in a snapshot: address and count registers, mode, page, mask. The DREQ holder is bound again by that device.</summary>
public sealed partial class DmaChannel : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        BaseAddress = s.U16(BaseAddress);
        CurrentAddress = s.U16(CurrentAddress);
        BaseCount = s.U16(BaseCount);
        CurrentCount = s.U16(CurrentCount);
        Mode = s.U8(Mode);
        Page = s.U8(Page);
        Masked = s.Bool(Masked);
        if (s.Loading)
        {
            Client = null;
        }
    }
}
