using System.Buffers.Binary;

namespace Minix318Emu.Images.Multiboot;

/// <summary>The Multiboot (version 0.6.96) header found in the first 8192 bytes of a kernel.</summary>
public sealed record MultibootHeader(int FileOffset, uint Flags, uint HeaderAddr, uint LoadAddr, uint LoadEndAddr, uint BssEndAddr, uint EntryAddr)
{
    /// <summary>The header magic.</summary>
    public const uint Magic = 0x1BAD_B002;

    /// <summary>The value a compliant loader leaves in EAX.</summary>
    public const uint BootloaderMagic = 0x2BAD_B002;

    /// <summary>Flag bits: page-align modules, memory info, video mode, a.out kludge.</summary>
    public const uint PageAlign = 1, MemoryInfo = 2, VideoMode = 4, AoutKludge = 1u << 16;

    /// <summary>The low 16 bits are requirements a loader must honour; these are the ones understood here.</summary>
    public const uint UnderstoodRequired = PageAlign | MemoryInfo | VideoMode;

    /// <summary>Whether the a.out-kludge address fields are used instead of the ELF headers.</summary>
    public bool UsesAddressFields => (Flags & AoutKludge) != 0;

    /// <summary>Finds and validates the header; null when there is none.</summary>
    public static MultibootHeader? Find(string path, ReadOnlySpan<byte> file)
    {
        int limit = Math.Min(file.Length, 8192);
        for (int off = 0; off + 12 <= limit; off += 4)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(off)) != Magic)
            {
                continue;
            }
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(off + 4));
            uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(off + 8));
            if (Magic + flags + checksum != 0)
            {
                throw new ImageFormatException(path, $"multiboot header at offset 0x{off:X} has a bad checksum (magic+flags+checksum = 0x{Magic + flags + checksum:X8}, must be 0)");
            }
            if ((flags & AoutKludge) != 0)
            {
                if (off + 32 > file.Length)
                {
                    throw new ImageFormatException(path, "truncated multiboot header: the address fields extend beyond the file");
                }
                ReadOnlySpan<byte> f = file.Slice(off);
                return new MultibootHeader(off, flags, BinaryPrimitives.ReadUInt32LittleEndian(f.Slice(12)), BinaryPrimitives.ReadUInt32LittleEndian(f.Slice(16)),
                    BinaryPrimitives.ReadUInt32LittleEndian(f.Slice(20)), BinaryPrimitives.ReadUInt32LittleEndian(f.Slice(24)), BinaryPrimitives.ReadUInt32LittleEndian(f.Slice(28)));
            }
            return new MultibootHeader(off, flags, 0, 0, 0, 0, 0);
        }
        return null;
    }
}
