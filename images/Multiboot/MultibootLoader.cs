using System.Buffers.Binary;
using System.Text;
using Minix318Emu.Images.Elf;

namespace Minix318Emu.Images.Multiboot;

/// <summary>
/// Loads a Multiboot v1 kernel (ELF32, or any format through the a.out-kludge address fields)
/// with its modules, and builds the Multiboot information structure, memory map, command
/// lines and boot-loader name in low memory, as GRUB legacy does.
/// </summary>
public static class MultibootLoader
{
    /// <summary>The boot-loader name given to the kernel.</summary>
    public const string LoaderName = "minix318emu";

    // Low-memory layout chosen here (below the EBDA at 0x9FC00, above the real-mode IVT/BDA).
    private const uint GdtAddress = 0x7000;
    private const uint InfoAddress = 0x8000;
    private const uint InfoEnd = 0x9_FC00;
    private const uint LowMemoryTop = 0x9_FC00;   // 639 KiB, as a PC BIOS reports
    private const uint HighMemoryStart = 0x10_0000;

    /// <summary>Loads <paramref name="kernelPath"/> for a machine with <paramref name="ramBytes"/> of RAM.</summary>
    public static BootImage Load(string kernelPath, string commandLine, IReadOnlyList<ModuleSpec> modules, uint ramBytes)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(kernelPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(kernelPath, $"cannot read the file ({e.Message})");
        }
        MultibootHeader? found = MultibootHeader.Find(kernelPath, file);
        if (found is null)
        {
            if (ElfFile.HasElfMagic(file))
            {
                ElfFile.Parse(kernelPath, file); // a damaged ELF says what is damaged rather than "no header"
            }
            throw new ImageFormatException(kernelPath, "not a multiboot kernel (no multiboot header in the first 8192 bytes)");
        }
        MultibootHeader header = found;
        uint unsupported = header.Flags & 0xFFFF & ~MultibootHeader.UnderstoodRequired;
        if (unsupported != 0)
        {
            throw new ImageFormatException(kernelPath, $"the multiboot header requires unsupported features (flag bits 0x{unsupported:X4})");
        }

        var chunks = new List<MemoryChunk>();
        uint entry;
        uint kernelEnd;
        if (header.UsesAddressFields)
        {
            (entry, kernelEnd) = LoadByAddressFields(kernelPath, file, header, chunks);
        }
        else
        {
            (entry, kernelEnd) = LoadElf(kernelPath, file, chunks);
        }
        foreach (var c in chunks)
        {
            ulong end = (ulong)c.Address + (ulong)c.Data.Length + c.ZeroFill;
            if (end > ramBytes)
            {
                throw new ImageFormatException(kernelPath, $"kernel segment at 0x{c.Address:X} (0x{end - c.Address:X} bytes) does not fit in {ramBytes >> 20} MiB of RAM");
            }
            if (c.Address < InfoEnd && end > GdtAddress)
            {
                throw new ImageFormatException(kernelPath, $"kernel segment at 0x{c.Address:X} overlaps the boot information area 0x{GdtAddress:X}-0x{InfoEnd:X}");
            }
        }

        // Modules go above the kernel, page-aligned.
        var loaded = new List<LoadedModule>();
        uint next = Align(Math.Max(kernelEnd, HighMemoryStart), 0x1000);
        foreach (var m in modules)
        {
            byte[] data;
            try
            {
                data = File.ReadAllBytes(m.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ImageFormatException(m.Path, $"cannot read the module ({e.Message})");
            }
            if ((ulong)next + (ulong)data.Length > ramBytes)
            {
                throw new ImageFormatException(m.Path, $"modules do not fit: this one needs 0x{data.Length:X} bytes at 0x{next:X} but RAM ends at 0x{ramBytes:X}");
            }
            chunks.Add(new MemoryChunk(next, data));
            loaded.Add(new LoadedModule(m.Path, m.CommandLine, next, next + (uint)data.Length));
            next = Align(next + (uint)data.Length, 0x1000);
        }

        byte[] info = BuildInfo(kernelPath, commandLine, loaded, ramBytes);
        chunks.Add(new MemoryChunk(InfoAddress, info));
        chunks.Add(new MemoryChunk(GdtAddress, BuildGdt()));
        return new BootImage(chunks, entry, MultibootHeader.BootloaderMagic, InfoAddress, GdtAddress, 0x1F, 0x10, 0x18, loaded);
    }

    private static (uint Entry, uint End) LoadByAddressFields(string path, byte[] file, MultibootHeader h, List<MemoryChunk> chunks)
    {
        if (h.LoadAddr > h.HeaderAddr)
        {
            throw new ImageFormatException(path, $"multiboot load_addr 0x{h.LoadAddr:X} is above header_addr 0x{h.HeaderAddr:X}");
        }
        long fileStart = h.FileOffset - (long)(h.HeaderAddr - h.LoadAddr);
        if (fileStart < 0)
        {
            throw new ImageFormatException(path, "multiboot address fields place the load start before the beginning of the file");
        }
        long length = h.LoadEndAddr == 0 ? file.Length - fileStart : (long)h.LoadEndAddr - h.LoadAddr;
        if (length < 0 || fileStart + length > file.Length)
        {
            throw new ImageFormatException(path, $"truncated: multiboot load_end_addr 0x{h.LoadEndAddr:X} needs {length} bytes from offset {fileStart}, the file has {file.Length}");
        }
        uint end = h.LoadAddr + (uint)length;
        uint zero = h.BssEndAddr > end ? h.BssEndAddr - end : 0;
        chunks.Add(new MemoryChunk(h.LoadAddr, file.AsSpan((int)fileStart, (int)length).ToArray(), zero));
        return (h.EntryAddr, end + zero);
    }

    private static (uint Entry, uint End) LoadElf(string path, byte[] file, List<MemoryChunk> chunks)
    {
        ElfFile elf = ElfFile.Parse(path, file);
        uint end = 0;
        uint entry = elf.Entry;
        bool any = false;
        foreach (var seg in elf.Segments)
        {
            if (seg.Type != ElfSegment.Load || seg.MemorySize == 0)
            {
                continue;
            }
            any = true;
            chunks.Add(new MemoryChunk(seg.PhysicalAddress, file.AsSpan((int)seg.Offset, (int)seg.FileSize).ToArray(), seg.MemorySize - seg.FileSize));
            end = Math.Max(end, seg.PhysicalAddress + seg.MemorySize);
            // An entry given as a virtual address inside a segment loaded elsewhere is translated to its physical address.
            if (seg.VirtualAddress != seg.PhysicalAddress && entry >= seg.VirtualAddress && entry - seg.VirtualAddress < seg.MemorySize)
            {
                entry = entry - seg.VirtualAddress + seg.PhysicalAddress;
            }
        }
        if (!any)
        {
            throw new ImageFormatException(path, "the ELF file has no loadable segment");
        }
        return (entry, end);
    }

    private static uint Align(uint v, uint a) => (v + a - 1) & ~(a - 1);

    /// <summary>A flat GDT: null, null, 4 GiB code at 0x10, 4 GiB data at 0x18 (also the Linux boot protocol's __BOOT_CS and __BOOT_DS).</summary>
    internal static byte[] BuildGdt()
    {
        var g = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(g.AsSpan(16), 0x00CF_9A00_0000_FFFFul);
        BinaryPrimitives.WriteUInt64LittleEndian(g.AsSpan(24), 0x00CF_9200_0000_FFFFul);
        return g;
    }

    private static byte[] BuildInfo(string kernelPath, string commandLine, List<LoadedModule> modules, uint ramBytes)
    {
        const int infoSize = 116;
        var buf = new byte[InfoEnd - InfoAddress];
        int cursor = infoSize;

        uint AddString(string s)
        {
            byte[] b = Encoding.UTF8.GetBytes(s);
            if (cursor + b.Length + 1 > buf.Length)
            {
                throw new ImageFormatException(kernelPath, "command lines are too long for the boot information area");
            }
            uint at = InfoAddress + (uint)cursor;
            b.CopyTo(buf, cursor);
            buf[cursor + b.Length] = 0;
            cursor = (cursor + b.Length + 1 + 3) & ~3;
            return at;
        }

        void W32(int off, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(off), v);

        uint flags = 0;
        // Memory: flags bit 0 (mem_lower/mem_upper), bit 6 (memory map).
        W32(4, LowMemoryTop / 1024);
        W32(8, (ramBytes - HighMemoryStart) / 1024);
        flags |= 1;

        string cmd = commandLine.Length > 0 ? $"{Path.GetFileName(kernelPath)} {commandLine}" : Path.GetFileName(kernelPath);
        W32(16, AddString(cmd));
        flags |= 1u << 2;

        int modsAt = cursor;
        cursor += modules.Count * 16;
        for (int i = 0; i < modules.Count; i++)
        {
            var m = modules[i];
            int o = modsAt + i * 16;
            W32(o, m.Start);
            W32(o + 4, m.End);
            W32(o + 8, AddString(m.CommandLine));
            W32(o + 12, 0);
        }
        W32(20, (uint)modules.Count);
        W32(24, InfoAddress + (uint)modsAt);
        flags |= 1u << 3;

        (ulong Base, ulong Length, uint Type)[] map =
        [
            (0, LowMemoryTop, 1),
            (LowMemoryTop, 0xA_0000 - LowMemoryTop, 2),
            (0xF_0000, 0x1_0000, 2),
            (HighMemoryStart, ramBytes - HighMemoryStart, 1),
        ];
        int mmapAt = cursor;
        foreach (var e in map)
        {
            W32(cursor, 20);
            BinaryPrimitives.WriteUInt64LittleEndian(buf.AsSpan(cursor + 4), e.Base);
            BinaryPrimitives.WriteUInt64LittleEndian(buf.AsSpan(cursor + 12), e.Length);
            W32(cursor + 20, e.Type);
            cursor += 24;
        }
        W32(44, (uint)(cursor - mmapAt));
        W32(48, InfoAddress + (uint)mmapAt);
        flags |= 1u << 6;

        W32(64, AddString(LoaderName));
        flags |= 1u << 9;

        W32(0, flags);
        return buf.AsSpan(0, cursor).ToArray();
    }
}
