namespace Minix318Emu.Devices.Storage;

/// <summary>
/// A raw disk image of 512-byte sectors. By default writes go to an in-memory copy-on-write
/// overlay and the file is never modified; with <c>persist</c> they are written through to
/// the file and flushed on <see cref="Flush"/> and <see cref="Dispose"/>.
/// </summary>
public sealed class DiskImage : IDisposable
{
    /// <summary>Sector size in bytes.</summary>
    public const int SectorSize = 512;

    private readonly FileStream _file;
    private readonly Dictionary<long, byte[]> _overlay = new();

    private DiskImage(string path, FileStream file, bool persist)
    {
        Path = path;
        _file = file;
        Persist = persist;
        Sectors = file.Length / SectorSize;
    }

    /// <summary>The image file.</summary>
    public string Path { get; }

    /// <summary>Whether writes reach the file.</summary>
    public bool Persist { get; }

    /// <summary>Capacity in sectors.</summary>
    public long Sectors { get; }

    /// <summary>Sectors written into the overlay so far.</summary>
    public int OverlaySectors => _overlay.Count;

    /// <summary>Opens an image; a missing, unreadable or badly sized file gives <see cref="DiskImageException"/> naming it.</summary>
    public static DiskImage Open(string path, bool persist)
    {
        // Sized before opening: a FIFO or a character device (sized 0) would block or stream
        // forever if opened, and an empty file is no disk either.
        var info = new FileInfo(path);
        if (info.Exists && info.Length == 0)
        {
            throw new DiskImageException(path, $"the disk image is 0 bytes (or not a regular file), not a positive multiple of {SectorSize}");
        }
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, persist ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            throw new DiskImageException(path, "the disk image does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new DiskImageException(path, "the disk image does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DiskImageException(path, $"cannot open the disk image{(persist ? " for writing" : "")} ({e.Message})");
        }
        if (fs.Length == 0 || fs.Length % SectorSize != 0)
        {
            long len = fs.Length;
            fs.Dispose();
            throw new DiskImageException(path, $"the disk image is {len} bytes, not a positive multiple of {SectorSize}");
        }
        return new DiskImage(path, fs, persist);
    }

    /// <summary>Reads sector <paramref name="lba"/> into <paramref name="dest"/> (512 bytes).</summary>
    public void Read(long lba, Span<byte> dest)
    {
        if (!Persist && _overlay.TryGetValue(lba, out byte[]? data))
        {
            data.CopyTo(dest);
            return;
        }
        _file.Position = lba * SectorSize;
        _file.ReadExactly(dest.Slice(0, SectorSize));
    }

    /// <summary>Writes sector <paramref name="lba"/> from <paramref name="src"/> (512 bytes).</summary>
    public void Write(long lba, ReadOnlySpan<byte> src)
    {
        if (Persist)
        {
            _file.Position = lba * SectorSize;
            _file.Write(src.Slice(0, SectorSize));
            return;
        }
        _overlay[lba] = src.Slice(0, SectorSize).ToArray();
    }

    /// <summary>Flushes written-through data to the file (nothing to do for an overlay).</summary>
    public void Flush()
    {
        if (Persist)
        {
            _file.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Flush();
        _file.Dispose();
    }
}

/// <summary>A disk image cannot be used; the message names the file and the problem.</summary>
public sealed class DiskImageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DiskImageException(string path, string problem) : base($"{path}: {problem}")
    {
    }
}
