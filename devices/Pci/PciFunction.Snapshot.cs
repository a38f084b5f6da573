using System.Buffers.Binary;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Pci;

/// <summary>
/// A PCI function in a snapshot: its 256-byte header. Loading replays every changed dword
/// through <see cref="ConfigChanged"/>, so a function that decodes something from its header
/// (the IDE function's bus-master BAR) moves it exactly as a guest write would.
/// </summary>
public partial class PciFunction : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        byte[] before = s.Loading ? (byte[])_config.Clone() : _config;
        s.Bytes(_config);
        if (!s.Loading)
        {
            return;
        }
        for (int offset = 0; offset < 256; offset += 4)
        {
            uint b = BinaryPrimitives.ReadUInt32LittleEndian(before.AsSpan(offset));
            uint a = BinaryPrimitives.ReadUInt32LittleEndian(_config.AsSpan(offset));
            if (a != b)
            {
                ConfigChanged(offset, b, a);
            }
        }
    }
}
