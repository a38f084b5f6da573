using System.Buffers.Binary;

namespace Minix318Emu.Images.Multiboot;

/// <summary>
/// The GDT a boot loader leaves behind: flat 4 GiB ring-0 code and data descriptors at the
/// selectors its boot convention names (Multiboot as GRUB and QEMU do it: code 0x08, data 0x10;
/// the Linux 32-bit boot protocol: __BOOT_CS 0x10, __BOOT_DS 0x18), every other slot null.
/// </summary>
public static class FlatGdt
{
    /// <summary>Code 0x08, data 0x10: what GRUB's and QEMU's multiboot loaders leave.</summary>
    public const ushort MultibootCode = 0x08, MultibootData = 0x10;

    /// <summary>__BOOT_CS 0x10, __BOOT_DS 0x18: what the Linux boot protocol requires.</summary>
    public const ushort LinuxCode = 0x10, LinuxData = 0x18;

    /// <summary>The table, as long as its highest selector needs (the GDTR limit is its length less one).</summary>
    public static byte[] Build(ushort codeSelector, ushort dataSelector)
    {
        var g = new byte[Math.Max(codeSelector, dataSelector) + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(g.AsSpan(codeSelector), 0x00CF_9A00_0000_FFFFul); // execute/read, G, D, DPL 0
        BinaryPrimitives.WriteUInt64LittleEndian(g.AsSpan(dataSelector), 0x00CF_9200_0000_FFFFul); // read/write, G, B, DPL 0
        return g;
    }
}
