using Microsoft.Win32.SafeHandles;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Devices.Storage;

/// <summary>
/// A raw disk image of 512-byte sectors. By default writes go to an in-memory copy-on-write
/// overlay and the file is never modified; with <c>persist</c> they are written through to
/// the file and flushed on <see cref="Flush"/> and <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Writes through are positional and unbuffered (one pwrite per sector, in the guest's order),
/// so a kill of the emulator at any point leaves the file as a disk whose power failed after
/// the last completed write: every write before it is there, none after it. A copy-on-write run
/// trusts the file not to change under it (the guest has cached what it read); the file's size
/// and modification time are checked at every read from it, and a change stops the run naming
/// the file rather than mixing two versions of the disk.
/// </remarks>
public sealed partial class DiskImage : IDisposable
{
    /// <summary>Sector size in bytes.</summary>
    public const int SectorSize = 512;

    private readonly FileStream _file;
    private readonly Dictionary<long, byte[]> _overlay = new();

    private readonly SafeFileHandle _handle;
    private readonly DateTime _openedWriteTime;

    private DiskImage(string path, FileStream file, bool persist)
    {
        Path = path;
        _file = file;
        _handle = file.SafeFileHandle;
        Persist = persist;
        Sectors = file.Length / SectorSize;
        _openedWriteTime = File.GetLastWriteTimeUtc(_handle);
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
            // bufferSize 0: no user-space write buffer, so nothing written is held back from the OS.
            fs = new FileStream(path, FileMode.Open, persist ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read, bufferSize: 0);
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
        if (!Persist)
        {
            CheckUnchanged();
        }
        Span<byte> sector = dest.Slice(0, SectorSize);
        int got = RandomAccess.Read(_handle, sector, lba * SectorSize);
        if (got != SectorSize)
        {
            throw new MachineStopException(StopReason.BadInput, $"{Path}: sector {lba} could not be read whole ({got} of {SectorSize} bytes): the file is shorter than when it was opened");
        }
    }

    /// <summary>Stops the run if the file under a copy-on-write overlay was changed by someone else (one fstat).</summary>
    private void CheckUnchanged()
    {
        long length = RandomAccess.GetLength(_handle);
        DateTime written = File.GetLastWriteTimeUtc(_handle);
        if (length != Sectors * SectorSize || written != _openedWriteTime)
        {
            throw new MachineStopException(StopReason.BadInput,
                $"{Path}: the disk image was changed by another program during this copy-on-write run (now {length} bytes, modified {written:yyyy-MM-dd HH:mm:ss.fff} UTC); "
                + "the guest's view of the disk is no longer consistent, so the run stops");
        }
    }

    /// <summary>Writes sector <paramref name="lba"/> from <paramref name="src"/> (512 bytes).</summary>
    public void Write(long lba, ReadOnlySpan<byte> src)
    {
        if (Persist)
        {
            RandomAccess.Write(_handle, src.Slice(0, SectorSize), lba * SectorSize);
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
