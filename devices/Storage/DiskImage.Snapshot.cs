using System.Security.Cryptography;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// A disk image in a snapshot: its copy-on-write overlay, the sectors the guest wrote, in LBA
/// order. A written-through image (--persist) cannot be snapshotted: the file goes on changing
/// after the save, so the state could not be resumed against it.
/// </summary>
public sealed partial class DiskImage : ISnapshotState
{
    private byte[]? _contentHash;

    /// <summary>
    /// SHA-256 of the image file as opened (computed once; the overlay does not change the file).
    /// Read in 1 MiB pieces: the image is opened unbuffered, and SHA256.HashData on the stream
    /// read it 4 KiB at a time, a system call each (95 ms of CPU for the 64 MiB MINIX disk in a
    /// fresh process, 70 ms this way). XXH128 was tried: 12 ms once compiled, but its first call
    /// in a process, the only one a save or a load makes, ran unoptimised code for 90 ms.
    /// </summary>
    public byte[] ContentHash()
    {
        if (_contentHash is null || Persist)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[1 << 20];
            _file.Position = 0;
            int n;
            while ((n = _file.Read(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
            }
            _contentHash = sha.GetHashAndReset();
        }
        return _contentHash;
    }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        if (Persist)
        {
            throw s.Corrupt($"{Path} is written through (--persist), so its contents cannot be part of a snapshot");
        }
        long sectors = s.I64(Sectors);
        if (sectors != Sectors)
        {
            throw s.Corrupt($"the image had {sectors} sectors, {Path} has {Sectors}");
        }
        var lbas = s.Loading ? new List<long>() : _overlay.Keys.Order().ToList();
        int n = s.Count(lbas.Count, (int)Math.Min(Sectors, int.MaxValue), "overlay sectors");
        if (s.Loading)
        {
            _overlay.Clear();
        }
        for (int i = 0; i < n; i++)
        {
            long lba = s.I64(s.Loading ? 0 : lbas[i]);
            if ((ulong)lba >= (ulong)Sectors)
            {
                throw s.Corrupt($"overlay sector {lba} is beyond the image");
            }
            byte[] data = s.Loading ? new byte[SectorSize] : _overlay[lba];
            s.Bytes(data);
            _overlay[lba] = data;
        }
    }
}
