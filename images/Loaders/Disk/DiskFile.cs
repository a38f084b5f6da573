using Microsoft.Win32.SafeHandles;

namespace Minix318Emu.Images.Disk;

/// <summary>
/// A raw disk image file, opened read-only unless the caller means to change it. Positioned
/// reads and writes (<see cref="RandomAccess"/>) keep no file position, so nothing depends on
/// the order of accesses.
/// </summary>
public sealed class DiskFile : IDiskImage, IDisposable
{
    private readonly SafeFileHandle _handle;

    private DiskFile(string path, SafeFileHandle handle, long length, bool writable)
    {
        Name = path;
        _handle = handle;
        Length = length;
        CanWrite = writable;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long Length { get; }

    /// <inheritdoc/>
    public bool CanWrite { get; }

    /// <summary>
    /// Opens <paramref name="path"/>. A missing or unreadable file, an empty one, and a gzip
    /// file (the shared images are distributed compressed) are one-line errors.
    /// </summary>
    public static DiskFile Open(string path, bool writable)
    {
        if (!File.Exists(path))
        {
            throw new ImageFormatException(path, "no such file");
        }
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, writable ? FileShare.Read : FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot open the image{(writable ? " for writing" : "")} ({e.Message})");
        }
        long length = RandomAccess.GetLength(handle);
        var disk = new DiskFile(path, handle, length, writable);
        if (length == 0)
        {
            disk.Dispose();
            throw new ImageFormatException(path, "the image is empty");
        }
        Span<byte> magic = stackalloc byte[2];
        if (length >= 2 && RandomAccess.Read(handle, magic, 0) == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            disk.Dispose();
            throw new ImageFormatException(path, "gzip-compressed: decompress it first (gzip -dc FILE > FILE.img)");
        }
        return disk;
    }

    /// <inheritdoc/>
    public void Read(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset > Length - buffer.Length)
        {
            throw new ImageFormatException(Name, $"truncated: bytes 0x{offset:X}-0x{offset + buffer.Length - 1:X} are beyond the end of the image ({Length} bytes)");
        }
        int done = 0;
        while (done < buffer.Length)
        {
            int n;
            try
            {
                n = RandomAccess.Read(_handle, buffer[done..], offset + done);
            }
            catch (IOException e)
            {
                throw new ImageFormatException(Name, $"read error at byte 0x{offset + done:X} ({e.Message})");
            }
            if (n == 0)
            {
                throw new ImageFormatException(Name, $"truncated: the image ended at byte 0x{offset + done:X} while reading");
            }
            done += n;
        }
    }

    /// <inheritdoc/>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (!CanWrite)
        {
            throw new InvalidOperationException($"{Name} was opened read-only");
        }
        if (offset < 0 || offset > Length - data.Length)
        {
            throw new ImageFormatException(Name, $"write of bytes 0x{offset:X}-0x{offset + data.Length - 1:X} is beyond the end of the image ({Length} bytes)");
        }
        try
        {
            RandomAccess.Write(_handle, data, offset);
        }
        catch (IOException e)
        {
            throw new ImageFormatException(Name, $"write error at byte 0x{offset:X} ({e.Message})");
        }
    }

    /// <summary>Writes what the operating system holds for the file to the disk.</summary>
    public void Flush()
    {
        if (CanWrite)
        {
            RandomAccess.FlushToDisk(_handle);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();
}
