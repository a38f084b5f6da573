namespace Minix318Emu.Images.Disk;

/// <summary>A disk image held in memory (tests, and images assembled before they are written).</summary>
public sealed class MemoryDisk : IDiskImage
{
    private readonly byte[] _data;

    /// <summary>Wraps <paramref name="data"/> (not copied: writes change it).</summary>
    public MemoryDisk(string name, byte[] data, bool writable = true)
    {
        Name = name;
        _data = data;
        CanWrite = writable;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long Length => _data.Length;

    /// <inheritdoc/>
    public bool CanWrite { get; }

    /// <inheritdoc/>
    public void Read(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > _data.Length - buffer.Length)
        {
            throw new ImageFormatException(Name, $"truncated: bytes 0x{offset:X}-0x{offset + buffer.Length - 1:X} are beyond the end of the image ({_data.Length} bytes)");
        }
        _data.AsSpan((int)offset, buffer.Length).CopyTo(buffer);
    }

    /// <inheritdoc/>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (!CanWrite)
        {
            throw new InvalidOperationException($"{Name} is read-only");
        }
        if (offset < 0 || offset > _data.Length - data.Length)
        {
            throw new ImageFormatException(Name, $"write of bytes 0x{offset:X}-0x{offset + data.Length - 1:X} is beyond the end of the image ({_data.Length} bytes)");
        }
        data.CopyTo(_data.AsSpan((int)offset));
    }
}
