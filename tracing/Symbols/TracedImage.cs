using System.Security.Cryptography;
using Minix318Emu.Images.Elf;

namespace Minix318Emu.Tracing.Symbols;

/// <summary>An ELF image whose symbols the tracer uses: the kernel, a boot module, or a program named with --symbols.</summary>
public sealed class TracedImage
{
    private TracedImage(string name, string path, ImageScope scope, ElfFile elf, string sha256)
    {
        Name = name;
        Path = path;
        Scope = scope;
        Elf = elf;
        Sha256 = sha256;
        Symbols = new SymbolTable(elf);
    }

    /// <summary>The image's short name (file name without extension).</summary>
    public string Name { get; }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Kernel or user.</summary>
    public ImageScope Scope { get; }

    /// <summary>The parsed file.</summary>
    public ElfFile Elf { get; }

    /// <summary>SHA-256 of the file, hex.</summary>
    public string Sha256 { get; }

    /// <summary>Its symbols.</summary>
    public SymbolTable Symbols { get; }

    /// <summary>Loads an image; errors are <see cref="Images.ImageFormatException"/>.</summary>
    public static TracedImage Load(string path, ImageScope scope)
    {
        ElfFile elf = ElfFile.Load(path);
        string sha = Convert.ToHexStringLower(SHA256.HashData(elf.Data));
        return new TracedImage(System.IO.Path.GetFileNameWithoutExtension(path), path, scope, elf, sha);
    }

    /// <summary>
    /// Makes an image from bytes a boot loader read (the built-in MINIX loader reads the kernel
    /// and modules from a disk image); <paramref name="path"/> names it and gives its short name.
    /// </summary>
    public static TracedImage FromBytes(string path, byte[] data, ImageScope scope)
    {
        ElfFile elf = ElfFile.Parse(path, data);
        string sha = Convert.ToHexStringLower(SHA256.HashData(data));
        return new TracedImage(System.IO.Path.GetFileNameWithoutExtension(path), path, scope, elf, sha);
    }

    /// <summary>The file's bytes at virtual address <paramref name="va"/> (from its loadable segments), or false.</summary>
    public bool TryGetBytes(uint va, Span<byte> dest)
    {
        foreach (ElfSegment seg in Elf.Segments)
        {
            if (seg.Type == ElfSegment.Load && va >= seg.VirtualAddress && va + (uint)dest.Length <= seg.VirtualAddress + seg.FileSize)
            {
                Elf.Data.AsSpan((int)(seg.Offset + (va - seg.VirtualAddress)), dest.Length).CopyTo(dest);
                return true;
            }
        }
        return false;
    }
}
