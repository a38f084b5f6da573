using System.Buffers.Binary;
using System.Text;
using Minix318Emu.Images.Elf;

namespace Minix318Emu.Images.Multiboot;

/// <summary>
/// Loads a Multiboot v1 kernel (ELF32, or any format through the a.out-kludge address fields)
/// with its modules, and builds the Multiboot information structure, memory map, command
/// lines, module list, boot-loader name and the loader's GDT in one block above everything it
/// loaded, as QEMU (right after the kernel) and GRUB 2 (wherever is free) do, so a kernel may
/// load anywhere in RAM but the interrupt vector table and BIOS data area (0x0-0x4FF) and the
/// EBDA, video memory and BIOS (0x9FC00-0xFFFFF). Modules follow the kernel, page-aligned and
/// at or above 1 MiB. The entry state is GRUB's and QEMU's: CS = 0x08 and DS = ES = FS = GS =
/// SS = 0x10, flat, in that GDT.
/// </summary>
public static class MultibootLoader
{
    /// <summary>The boot-loader name given to the kernel.</summary>
    public const string LoaderName = "minix318emu";

    private const uint BiosDataEnd = 0x500;        // the real-mode IVT (0x0-0x3FF) and the BIOS data area (0x400-0x4FF)
    private const uint LowMemoryTop = 0x9_FC00;    // 639 KiB, as a PC BIOS reports; the EBDA follows
    private const uint HighMemoryStart = 0x10_0000;
    private const int InfoSize = 116;              // the Multiboot information structure through the VBE fields

    /// <summary>
    /// Loads <paramref name="kernelPath"/> and the module files for a machine with
    /// <paramref name="ramBytes"/> of RAM. The kernel's command line is its file name, then
    /// <paramref name="commandLine"/> after a space when there is one (as GRUB passes it).
    /// </summary>
    public static BootImage Load(string kernelPath, string commandLine, IReadOnlyList<ModuleSpec> modules, uint ramBytes)
    {
        byte[] file = ReadFile(kernelPath, "the file");
        var data = modules.Select(m => new ModuleData(m.Path, m.CommandLine, ReadFile(m.Path, "the module"))).ToList();
        string name = Path.GetFileName(kernelPath);
        return Load(kernelPath, file, commandLine.Length > 0 ? $"{name} {commandLine}" : name, data, ramBytes);
    }

    private static byte[] ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException(path, $"cannot read {what} ({e.Message})");
        }
    }

    /// <summary>
    /// Loads a kernel and modules already in memory (a boot loader read them from a disk):
    /// <paramref name="kernelPath"/> names the kernel in messages, and
    /// <paramref name="commandLine"/> is the whole multiboot command line the kernel gets.
    /// </summary>
    public static BootImage Load(string kernelPath, byte[] file, string commandLine, IReadOnlyList<ModuleData> modules, uint ramBytes)
    {
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
            if (c.Address < BiosDataEnd && end > 0)
            {
                throw new ImageFormatException(kernelPath, $"kernel segment at 0x{c.Address:X} overlaps the interrupt vector table and BIOS data area 0x0-0x{BiosDataEnd - 1:X}");
            }
            if (c.Address < HighMemoryStart && end > LowMemoryTop)
            {
                throw new ImageFormatException(kernelPath, $"kernel segment at 0x{c.Address:X} overlaps the EBDA, video memory and BIOS area 0x{LowMemoryTop:X}-0x{HighMemoryStart - 1:X}");
            }
        }

        // Modules go above the kernel, page-aligned.
        var loaded = new List<LoadedModule>();
        uint next = Align(Math.Max(kernelEnd, HighMemoryStart), 0x1000);
        foreach (var m in modules)
        {
            byte[] data = m.Data;
            if ((ulong)next + (ulong)data.Length > ramBytes)
            {
                throw new ImageFormatException(m.Name, $"modules do not fit: this one needs 0x{data.Length:X} bytes at 0x{next:X} but RAM ends at 0x{ramBytes:X}");
            }
            chunks.Add(new MemoryChunk(next, data));
            loaded.Add(new LoadedModule(m.Name, m.CommandLine, next, next + (uint)data.Length));
            next = Align(next + (uint)data.Length, 0x1000);
        }

        // The boot information goes above the last module (or the kernel), on a page of its own.
        uint infoAt = next;
        (byte[] info, uint gdtAt) = BuildInfo(kernelPath, commandLine, loaded, ramBytes, infoAt);
        if ((ulong)infoAt + (ulong)info.Length > ramBytes)
        {
            throw new ImageFormatException(kernelPath, $"the multiboot information (0x{info.Length:X} bytes) does not fit above the kernel and modules at 0x{infoAt:X}: RAM ends at 0x{ramBytes:X}");
        }
        chunks.Add(new MemoryChunk(infoAt, info));
        return new BootImage(chunks, entry, MultibootHeader.BootloaderMagic, infoAt, gdtAt, (ushort)(Gdt.Length - 1),
            FlatGdt.MultibootCode, FlatGdt.MultibootData, loaded);
    }

    private static readonly byte[] Gdt = FlatGdt.Build(FlatGdt.MultibootCode, FlatGdt.MultibootData);

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

    /// <summary>
    /// The boot information block for address <paramref name="baseAddress"/>: the information
    /// structure, the GDT (8-byte aligned; its address is returned), the module list, the
    /// command lines, the memory map and the boot-loader name.
    /// </summary>
    private static (byte[] Block, uint GdtAddress) BuildInfo(string kernelPath, string commandLine, List<LoadedModule> modules, uint ramBytes, uint baseAddress)
    {
        int stringBytes = Encoding.UTF8.GetByteCount(commandLine) + Encoding.UTF8.GetByteCount(LoaderName) + 2 * 4;
        foreach (var m in modules)
        {
            stringBytes += Encoding.UTF8.GetByteCount(m.CommandLine) + 1 + 3;
        }
        const int mapEntries = 4;
        var buf = new byte[InfoSize + Gdt.Length + 8 + modules.Count * 16 + stringBytes + mapEntries * 24];
        int cursor = InfoSize;
        uint gdtAt = baseAddress + (uint)(cursor = (cursor + 7) & ~7);
        Gdt.CopyTo(buf, cursor);
        cursor += Gdt.Length;

        uint AddString(string s)
        {
            byte[] b = Encoding.UTF8.GetBytes(s);
            uint at = baseAddress + (uint)cursor;
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

        W32(16, AddString(commandLine));
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
        W32(24, baseAddress + (uint)modsAt);
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
        W32(48, baseAddress + (uint)mmapAt);
        flags |= 1u << 6;

        W32(64, AddString(LoaderName));
        flags |= 1u << 9;

        W32(0, flags);
        return (buf.AsSpan(0, cursor).ToArray(), gdtAt);
    }
}
