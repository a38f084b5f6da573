using System.Buffers.Binary;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// What this board tells firmware through fw_cfg, the items QEMU's i440FX PC gives SeaBIOS
/// (hw/i386/fw_cfg.c, hw/nvram/fw_cfg.c) for a machine started with no -kernel: the RAM size,
/// one CPU (present and possible), boot device 'c' and no boot menu, a zero UUID, no NUMA nodes,
/// no kernel, initrd or command line (their addresses and sizes 0), IRQ 0 overridden to
/// I/O APIC pin 2, no legacy ACPI, SMBIOS or e820 entries, and the file "etc/e820" with the
/// RAM as one range from 0.
/// </summary>
public static class BoardFirmwareConfig
{
    /// <summary>The e820 type of usable RAM.</summary>
    public const uint E820Ram = 1;

    /// <summary>Builds the device for a machine with <paramref name="memory"/>.</summary>
    public static FirmwareConfig Create(PhysicalMemory memory)
    {
        var cfg = new FirmwareConfig(memory);
        cfg.AddItem(FwCfgKeys.Uuid, new byte[16]);
        cfg.AddU64(FwCfgKeys.RamSize, memory.RamSize);
        cfg.AddU16(FwCfgKeys.NoGraphic, 0);
        cfg.AddU16(FwCfgKeys.NbCpus, 1);
        cfg.AddU16(FwCfgKeys.MaxCpus, 1);
        cfg.AddU16(FwCfgKeys.BootDevice, 'c');
        cfg.AddU16(FwCfgKeys.BootMenu, 0);
        cfg.AddU64(FwCfgKeys.Numa, 0);
        foreach (ushort key in new[]
        {
            FwCfgKeys.KernelAddr, FwCfgKeys.KernelSize, FwCfgKeys.KernelEntry, FwCfgKeys.InitrdAddr,
            FwCfgKeys.InitrdSize, FwCfgKeys.CmdlineAddr, FwCfgKeys.CmdlineSize, FwCfgKeys.SetupAddr, FwCfgKeys.SetupSize,
        })
        {
            cfg.AddU32(key, 0);
        }
        cfg.AddItem(FwCfgKeys.Irq0Override, new byte[] { 1 });
        cfg.AddU16(FwCfgKeys.AcpiTables, 0);
        cfg.AddU16(FwCfgKeys.SmbiosEntries, 0);
        cfg.AddU32(FwCfgKeys.E820Table, 0);
        cfg.AddFile("etc/e820", E820Entry(0, memory.RamSize, E820Ram));
        return cfg;
    }

    /// <summary>One e820 entry as QEMU packs it: 64-bit address, 64-bit length, 32-bit type, little-endian.</summary>
    public static byte[] E820Entry(ulong address, ulong length, uint type)
    {
        var e = new byte[20];
        BinaryPrimitives.WriteUInt64LittleEndian(e, address);
        BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(8), length);
        BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(16), type);
        return e;
    }
}
