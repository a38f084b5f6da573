using Minix318Emu.Images;
using Minix318Emu.Images.Disk;

namespace Minix318Emu.Tests.Support;

/// <summary>
/// A disk image seen through a mutation: a shared, never-changed base image, cut to
/// <see cref="Length"/> bytes, with bits flipped, and writes kept in copied sectors. Each
/// fuzz case gets its own view without copying the 64 MiB base. Optionally records which
/// sectors were read, to aim the flips at the bytes a reader actually looks at.
/// </summary>
internal sealed class MutatedDisk : IDiskImage
{
    private const int Sector = 512;
    private readonly byte[] _base;
    private readonly Dictionary<long, byte[]> _copies = new();

    public MutatedDisk(byte[] baseImage, long length, IEnumerable<(long Offset, int Bit)> flips)
    {
        _base = baseImage;
        Length = Math.Min(length, baseImage.LongLength);
        foreach ((long offset, int bit) in flips)
        {
            if (offset < Length)
            {
                Copy(offset / Sector)[offset % Sector] ^= (byte)(1 << bit);
            }
        }
    }

    public string Name => "fuzz.img";

    public long Length { get; }

    public bool CanWrite => true;

    /// <summary>Sectors read so far, when recording.</summary>
    public HashSet<long>? ReadSectors { get; init; }

    public void Read(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > Length - buffer.Length)
        {
            throw new ImageFormatException(Name, $"truncated: bytes 0x{offset:X}-0x{offset + buffer.Length - 1:X} are beyond the end of the image ({Length} bytes)");
        }
        while (!buffer.IsEmpty)
        {
            long sector = offset / Sector;
            int within = (int)(offset % Sector);
            int count = Math.Min(Sector - within, buffer.Length);
            ReadSectors?.Add(sector);
            ReadOnlySpan<byte> source = _copies.TryGetValue(sector, out byte[]? copy) ? copy : _base.AsSpan((int)(sector * Sector), Sector);
            source.Slice(within, count).CopyTo(buffer);
            buffer = buffer[count..];
            offset += count;
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (offset < 0 || offset > Length - data.Length)
        {
            throw new ImageFormatException(Name, $"write beyond the end of the image ({Length} bytes)");
        }
        while (!data.IsEmpty)
        {
            int within = (int)(offset % Sector);
            int count = Math.Min(Sector - within, data.Length);
            data[..count].CopyTo(Copy(offset / Sector).AsSpan(within));
            data = data[count..];
            offset += count;
        }
    }

    private byte[] Copy(long sector)
    {
        if (!_copies.TryGetValue(sector, out byte[]? copy))
        {
            copy = _base.AsSpan((int)(sector * Sector), Sector).ToArray();
            _copies[sector] = copy;
        }
        return copy;
    }
}
