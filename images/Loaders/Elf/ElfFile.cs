using System.Buffers.Binary;
using System.Text;

namespace Minix318Emu.Images.Elf;

/// <summary>
/// A 32-bit little-endian i386 ELF file: header, program headers and the symbol table. Every
/// offset and size is checked against the file, so a truncated or corrupt file gives an
/// <see cref="ImageFormatException"/> that says what is out of bounds.
/// </summary>
public sealed class ElfFile
{
    private const ushort MachineI386 = 3;

    private ElfFile(string path, byte[] data, ushort type, uint entry, IReadOnlyList<ElfSegment> segments, IReadOnlyList<ElfSymbol> symbols)
    {
        Path = path;
        Data = data;
        Type = type;
        Entry = entry;
        Segments = segments;
        Symbols = symbols;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The whole file.</summary>
    public byte[] Data { get; }

    /// <summary>e_type (2 = executable).</summary>
    public ushort Type { get; }

    /// <summary>The entry point (virtual address).</summary>
    public uint Entry { get; }

    /// <summary>The program headers.</summary>
    public IReadOnlyList<ElfSegment> Segments { get; }

    /// <summary>The symbols of .symtab (empty when stripped).</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>Whether <paramref name="data"/> starts with the ELF magic.</summary>
    public static bool HasElfMagic(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data[0] == 0x7F && data[1] == (byte)'E' && data[2] == (byte)'L' && data[3] == (byte)'F';

    /// <summary>Reads and validates a file.</summary>
    public static ElfFile Load(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot read the file ({e.Message})");
        }
        return Parse(path, data);
    }

    /// <summary>Parses an ELF image held in memory; <paramref name="path"/> names it in errors.</summary>
    public static ElfFile Parse(string path, byte[] data)
    {
        if (!HasElfMagic(data))
        {
            throw new ImageFormatException(path, "not an ELF file (no \\x7fELF magic)");
        }
        if (data.Length < 52)
        {
            throw new ImageFormatException(path, $"truncated ELF header ({data.Length} bytes, need 52)");
        }
        if (data[4] != 1)
        {
            throw new ImageFormatException(path, $"not a 32-bit ELF file (EI_CLASS={data[4]})");
        }
        if (data[5] != 1)
        {
            throw new ImageFormatException(path, $"not a little-endian ELF file (EI_DATA={data[5]})");
        }
        var s = data.AsSpan();
        ushort type = U16(s, 16);
        ushort machine = U16(s, 18);
        if (machine != MachineI386)
        {
            throw new ImageFormatException(path, $"not an i386 ELF file (e_machine={machine})");
        }
        uint entry = U32(s, 24);
        uint phoff = U32(s, 28), shoff = U32(s, 32);
        ushort phentsize = U16(s, 42), phnum = U16(s, 44), shentsize = U16(s, 46), shnum = U16(s, 48);

        var segments = new List<ElfSegment>();
        if (phnum > 0)
        {
            if (phentsize < 32)
            {
                throw new ImageFormatException(path, $"bad program header entry size {phentsize}");
            }
            CheckRange(path, data, phoff, (ulong)phnum * phentsize, "program header table");
            for (int i = 0; i < phnum; i++)
            {
                int o = (int)(phoff + (uint)(i * phentsize));
                var seg = new ElfSegment(U32(s, o), U32(s, o + 4), U32(s, o + 8), U32(s, o + 12), U32(s, o + 16), U32(s, o + 20), U32(s, o + 24));
                if (seg.Type == ElfSegment.Load)
                {
                    CheckRange(path, data, seg.Offset, seg.FileSize, $"segment {i} (PT_LOAD at 0x{seg.PhysicalAddress:X})");
                    if (seg.FileSize > seg.MemorySize)
                    {
                        throw new ImageFormatException(path, $"segment {i}: file size 0x{seg.FileSize:X} exceeds memory size 0x{seg.MemorySize:X}");
                    }
                }
                segments.Add(seg);
            }
        }

        var symbols = new List<ElfSymbol>();
        if (shnum > 0 && shoff != 0)
        {
            if (shentsize < 40)
            {
                throw new ImageFormatException(path, $"bad section header entry size {shentsize}");
            }
            CheckRange(path, data, shoff, (ulong)shnum * shentsize, "section header table");
            for (int i = 0; i < shnum; i++)
            {
                int o = (int)(shoff + (uint)(i * shentsize));
                uint shType = U32(s, o + 4);
                if (shType != 2)
                {
                    continue; // SHT_SYMTAB only
                }
                uint symOff = U32(s, o + 16), symSize = U32(s, o + 20), link = U32(s, o + 24), entSize = U32(s, o + 36);
                CheckRange(path, data, symOff, symSize, ".symtab");
                if (link >= shnum)
                {
                    throw new ImageFormatException(path, $".symtab links to section {link}, beyond the {shnum} sections");
                }
                int so = (int)(shoff + link * shentsize);
                uint strOff = U32(s, so + 16), strSize = U32(s, so + 20);
                CheckRange(path, data, strOff, strSize, ".strtab");
                if (entSize < 16)
                {
                    entSize = 16;
                }
                for (uint k = 0; k + entSize <= symSize; k += entSize)
                {
                    int e = (int)(symOff + k);
                    uint nameOff = U32(s, e);
                    string name = nameOff < strSize ? ReadCString(s.Slice((int)strOff, (int)strSize), (int)nameOff) : "";
                    byte info = s[e + 12];
                    symbols.Add(new ElfSymbol(name, U32(s, e + 4), U32(s, e + 8), (byte)(info & 0xF), (byte)(info >> 4), U16(s, e + 14)));
                }
            }
        }
        return new ElfFile(path, data, type, entry, segments, symbols);
    }

    private static void CheckRange(string path, byte[] data, uint offset, ulong length, string what)
    {
        if ((ulong)offset + length > (ulong)data.Length)
        {
            throw new ImageFormatException(path, $"truncated or corrupt: {what} at offset 0x{offset:X} (0x{length:X} bytes) extends beyond the file size 0x{data.Length:X}");
        }
    }

    private static string ReadCString(ReadOnlySpan<byte> table, int offset)
    {
        int end = table.Slice(offset).IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? table.Slice(offset) : table.Slice(offset, end));
    }

    private static ushort U16(ReadOnlySpan<byte> s, int o) => BinaryPrimitives.ReadUInt16LittleEndian(s.Slice(o));

    private static uint U32(ReadOnlySpan<byte> s, int o) => BinaryPrimitives.ReadUInt32LittleEndian(s.Slice(o));

    /// <summary>Finds a symbol by name.</summary>
    public ElfSymbol? FindSymbol(string name)
    {
        foreach (var sym in Symbols)
        {
            if (sym.Name == name)
            {
                return sym;
            }
        }
        return null;
    }
}
