using System.Security.Cryptography;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Firmware;

/// <summary>The firmware ROM in a snapshot: read-only, so only its hash, which must match the image given for the resumed run.</summary>
public sealed partial class FirmwareRom : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        string mine = Convert.ToHexStringLower(SHA256.HashData(_image));
        string saved = s.Str(mine);
        if (saved != mine)
        {
            throw s.Corrupt($"the firmware image differs from the one the state was saved with (sha256 {saved[..16]}..., here {mine[..16]}...)");
        }
    }
}
