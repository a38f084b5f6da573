namespace Minix318Emu.Images.Disk;

/// <summary>
/// The bytes of a raw disk image, read and written at byte offsets. Reads past the end throw
/// <see cref="ImageFormatException"/> naming the image, so a truncated image is an error
/// message, never a short read that later code would misinterpret.
/// </summary>
public interface IDiskImage
{
    /// <summary>The name used in error messages (the file's path).</summary>
    string Name { get; }

    /// <summary>The image's size in bytes.</summary>
    long Length { get; }

    /// <summary>Whether <see cref="Write"/> is allowed.</summary>
    bool CanWrite { get; }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>.</summary>
    void Read(long offset, Span<byte> buffer);

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/> (inside the image).</summary>
    void Write(long offset, ReadOnlySpan<byte> data);
}
