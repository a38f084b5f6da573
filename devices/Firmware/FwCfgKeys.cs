namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// The selector keys of QEMU's firmware configuration interface (docs/specs/fw_cfg.txt and
/// include/standard-headers/linux/qemu_fw_cfg.h): the fixed items below 0x20, the first file
/// key, and the x86 architecture-local items (bit 15).
/// </summary>
public static class FwCfgKeys
{
    public const ushort Signature = 0x00, Id = 0x01, Uuid = 0x02, RamSize = 0x03, NoGraphic = 0x04,
        NbCpus = 0x05, MachineId = 0x06, KernelAddr = 0x07, KernelSize = 0x08, KernelCmdline = 0x09,
        InitrdAddr = 0x0A, InitrdSize = 0x0B, BootDevice = 0x0C, Numa = 0x0D, BootMenu = 0x0E,
        MaxCpus = 0x0F, KernelEntry = 0x10, KernelData = 0x11, InitrdData = 0x12, CmdlineAddr = 0x13,
        CmdlineSize = 0x14, CmdlineData = 0x15, SetupAddr = 0x16, SetupSize = 0x17, SetupData = 0x18,
        FileDir = 0x19;

    /// <summary>The key of the first file (files are numbered from here in directory order).</summary>
    public const ushort FileFirst = 0x20;

    /// <summary>Bit 15: an architecture-local item.</summary>
    public const ushort ArchLocal = 0x8000;

    /// <summary>Bit 14: the legacy write flag in a selector (QEMU 2.4 and later ignore writes through the data port).</summary>
    public const ushort Write = 0x4000;

    public const ushort AcpiTables = ArchLocal + 0, SmbiosEntries = ArchLocal + 1, Irq0Override = ArchLocal + 2,
        E820Table = ArchLocal + 3;

    /// <summary>Bits of the ID item: the traditional (port) interface, the DMA interface.</summary>
    public const uint IdTraditional = 1, IdDma = 2;

    /// <summary>Bits of a DMA access's control word; the selector sits in bits 31-16 with <see cref="DmaSelect"/>.</summary>
    public const uint DmaError = 0x01, DmaRead = 0x02, DmaSkip = 0x04, DmaSelect = 0x08, DmaWrite = 0x10;

    /// <summary>The 64-bit value the DMA address register reads as: "QEMU CFG", big-endian.</summary>
    public const ulong DmaSignature = 0x5145_4D55_2043_4647;

    /// <summary>The x86 ports: selector (16-bit), data (8-bit), DMA address (64-bit, big-endian, the low half's write starts the transfer).</summary>
    public const ushort SelectorPort = 0x510, DataPort = 0x511, DmaPort = 0x514;

    /// <summary>Length of a file name in a directory entry (NUL included).</summary>
    public const int FileNameLength = 56;
}
