using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Storage;

/// <summary>An ATA drive in a snapshot: what the guest set (translation geometry, multiple count, transfer mode); its size must match.</summary>
public sealed partial class AtaDrive : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        long sectors = s.I64(Image.Sectors);
        if (sectors != Image.Sectors)
        {
            throw s.Corrupt($"the drive had {sectors} sectors, {Image.Path} has {Image.Sectors}");
        }
        Heads = s.I32(Heads);
        SectorsPerTrack = s.I32(SectorsPerTrack);
        MultipleCount = s.I32(MultipleCount);
        TransferMode = s.U8(TransferMode);
    }
}
