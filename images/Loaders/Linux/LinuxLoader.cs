using System.Buffers.Binary;
using System.Text;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Images.Linux;

/// <summary>
/// The Linux/x86 32-bit boot protocol (Documentation/arch/x86/boot.rst): a bzImage is recognised
/// by its "HdrS" setup header; its protected-mode kernel is loaded at 1 MiB, the initrd high in
/// RAM, and a zero page (boot_params) is built with the setup header, an e820 map, the command
/// line and the initrd's place; the CPU enters the 32-bit entry point with flat __BOOT_CS (0x10)
/// and __BOOT_DS (0x18), ESI pointing at boot_params and interrupts off. No BIOS is involved.
/// </summary>
public static class LinuxLoader
{
    private const uint BootParams = 0x0002_0000;
    private const uint CommandLineAddress = 0x0002_1000;
    private const uint GdtAddress = 0x0000_7000;
    private const uint KernelAddress = 0x0010_0000;

    /// <summary>Whether the file starts like a Linux boot image (the setup header's "HdrS" magic).</summary>
    public static bool IsLinuxKernel(string path)
    {
        using var f = File.OpenRead(path);
        var head = new byte[0x210];
        return f.Read(head, 0, head.Length) == head.Length && BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(0x202)) == 0x5372_6448;
    }

    /// <summary>
    /// Lays out a bzImage for a 32-bit boot in a machine with <paramref name="ramBytes"/> bytes of
    /// RAM: the protected-mode kernel at 1 MiB, the initrd (if any) as high as initrd_addr_max and
    /// RAM allow, page-aligned, boot_params at 0x20000 (type_of_loader 0xFF, CAN_USE_HEAP, a
    /// four-entry e820 map, VGA text screen_info), the NUL-terminated command line at 0x21000
    /// and a flat GDT at 0x7000. The entry is code32_start (1 MiB when the header leaves it 0).
    /// Throws <see cref="ImageFormatException"/> naming the file for anything but a protocol 2.06+
    /// bzImage loaded high, a command line longer than cmdline_size, or a kernel or initrd that
    /// does not fit.
    /// </summary>
    public static BootImage Load(string kernelPath, string? initrdPath, string commandLine, uint ramBytes)
    {
        byte[] k = File.ReadAllBytes(kernelPath);
        if (k.Length < 0x1000 || BinaryPrimitives.ReadUInt32LittleEndian(k.AsSpan(0x202)) != 0x5372_6448)
        {
            throw new ImageFormatException(kernelPath, "not a Linux bzImage (no \"HdrS\" setup header)");
        }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(k.AsSpan(0x206));
        if (version < 0x0206)
        {
            throw new ImageFormatException(kernelPath, $"boot protocol {version >> 8}.{version & 0xFF} is older than 2.06, which a 32-bit entry needs");
        }
        if ((k[0x211] & 0x01) == 0)
        {
            throw new ImageFormatException(kernelPath, "a zImage loaded low is not supported (LOADED_HIGH is clear)");
        }
        int setupSects = k[0x1F1] == 0 ? 4 : k[0x1F1];
        int pmOffset = (setupSects + 1) * 512;
        if (pmOffset >= k.Length)
        {
            throw new ImageFormatException(kernelPath, $"truncated: the header says {setupSects} setup sectors, so the protected-mode kernel starts at {pmOffset}, beyond the file's {k.Length} bytes");
        }
        byte[] pm = k.AsSpan(pmOffset).ToArray();
        if ((ulong)KernelAddress + (ulong)pm.Length > ramBytes)
        {
            throw new ImageFormatException(kernelPath, $"the protected-mode kernel ({pm.Length} bytes at 0x{KernelAddress:X}) does not fit in {ramBytes >> 20} MiB of RAM");
        }
        uint code32Start = BinaryPrimitives.ReadUInt32LittleEndian(k.AsSpan(0x214));

        var bp = new byte[4096];
        int headerEnd = 0x202 + k[0x201];
        k.AsSpan(0x1F1, headerEnd - 0x1F1).CopyTo(bp.AsSpan(0x1F1));
        bp[0x210] = 0xFF;                                     // type_of_loader: undefined
        bp[0x211] = (byte)(k[0x211] | 0x80);                  // loadflags: CAN_USE_HEAP
        BinaryPrimitives.WriteUInt16LittleEndian(bp.AsSpan(0x224), 0xDE00); // heap_end_ptr
        BinaryPrimitives.WriteUInt32LittleEndian(bp.AsSpan(0x214), code32Start == 0 ? KernelAddress : code32Start);

        byte[] cmd = Encoding.ASCII.GetBytes(commandLine + "\0");
        uint cmdlineMax = BinaryPrimitives.ReadUInt32LittleEndian(k.AsSpan(0x238)); // cmdline_size: protocol 2.06 and later, checked above
        if (cmd.Length - 1 > cmdlineMax)
        {
            throw new ImageFormatException(kernelPath, $"the command line is {cmd.Length - 1} bytes; this kernel takes at most {cmdlineMax}");
        }
        BinaryPrimitives.WriteUInt32LittleEndian(bp.AsSpan(0x228), CommandLineAddress);

        var chunks = new List<MemoryChunk> { new(KernelAddress, pm) };
        if (initrdPath is not null)
        {
            byte[] initrd = File.ReadAllBytes(initrdPath);
            uint max = BinaryPrimitives.ReadUInt32LittleEndian(k.AsSpan(0x22C));
            ulong top = Math.Min(ramBytes, max == 0 ? 0x37FF_FFFFul : max + 1ul); // initrd_addr_max, 2.03 and later
            ulong at = ((top - Math.Min(top, (ulong)initrd.Length)) & ~0xFFFul);
            if (at < KernelAddress + (ulong)pm.Length + 0x100_0000 || at + (ulong)initrd.Length > top)
            {
                throw new ImageFormatException(initrdPath, $"the initrd ({initrd.Length} bytes) does not fit in {ramBytes >> 20} MiB with the kernel");
            }
            chunks.Add(new MemoryChunk((uint)at, initrd));
            BinaryPrimitives.WriteUInt32LittleEndian(bp.AsSpan(0x218), (uint)at);
            BinaryPrimitives.WriteUInt32LittleEndian(bp.AsSpan(0x21C), (uint)initrd.Length);
        }

        // e820: base memory, the EBDA and BIOS area reserved (firmware tables live there), RAM above 1 MiB.
        (ulong Addr, ulong Size, uint Type)[] map =
        {
            (0, 0x9_FC00, 1),
            (0x9_FC00, 0x400, 2),
            (0xE_0000, 0x2_0000, 2),
            (0x10_0000, ramBytes - 0x10_0000u, 1),
        };
        for (int i = 0; i < map.Length; i++)
        {
            Span<byte> e = bp.AsSpan(0x2D0 + 20 * i, 20);
            BinaryPrimitives.WriteUInt64LittleEndian(e, map[i].Addr);
            BinaryPrimitives.WriteUInt64LittleEndian(e[8..], map[i].Size);
            BinaryPrimitives.WriteUInt32LittleEndian(e[16..], map[i].Type);
        }
        bp[0x1E8] = (byte)map.Length;                          // e820_entries
        BinaryPrimitives.WriteUInt16LittleEndian(bp.AsSpan(0x002), (ushort)Math.Min((ramBytes >> 10) - 1024, 0xFC00)); // ext_mem_k
        BinaryPrimitives.WriteUInt32LittleEndian(bp.AsSpan(0x1E0), (ramBytes >> 10) - 1024);                          // alt_mem_k
        bp[0x00F] = 0x22;                                      // screen_info.orig_video_isVGA: VGA text (the kernel keeps to the serial console when told)
        bp[0x006] = 3;                                         // orig_video_mode: 80x25 colour text
        bp[0x007] = 80;                                        // orig_video_cols
        bp[0x00E] = 25;                                        // orig_video_lines
        bp[0x010] = 16;                                        // orig_video_points: the character height

        chunks.Add(new MemoryChunk(BootParams, bp));
        chunks.Add(new MemoryChunk(CommandLineAddress, cmd));
        byte[] gdt = FlatGdt.Build(FlatGdt.LinuxCode, FlatGdt.LinuxData);
        chunks.Add(new MemoryChunk(GdtAddress, gdt));
        uint entry = code32Start == 0 ? KernelAddress : code32Start;
        return new BootImage(chunks, entry, 0, 0, GdtAddress, (ushort)(gdt.Length - 1), FlatGdt.LinuxCode, FlatGdt.LinuxData, Array.Empty<LoadedModule>(), BootParams);
    }
}
