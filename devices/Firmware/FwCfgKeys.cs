namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// The selector keys of QEMU's firmware configuration interface (docs/specs/fw_cfg.txt and
/// include/standard-headers/linux/qemu_fw_cfg.h): the fixed items below 0x20, the first file
/// key, and the x86 architecture-local items (bit 15).
/// </summary>
public static class FwCfgKeys
{
    /// <summary>The signature, "QEMU" (4 bytes): how firmware detects the device.</summary>
    public const ushort Signature = 0x00;

    /// <summary>The feature bitmap (u32 LE): <see cref="IdTraditional"/>, <see cref="IdDma"/>.</summary>
    public const ushort Id = 0x01;

    /// <summary>The machine's SMBIOS UUID (16 bytes).</summary>
    public const ushort Uuid = 0x02;

    /// <summary>The machine's RAM size in bytes (u64 LE).</summary>
    public const ushort RamSize = 0x03;

    /// <summary>Non-zero when QEMU runs with -nographic (u16).</summary>
    public const ushort NoGraphic = 0x04;

    /// <summary>CPUs present at boot (u16).</summary>
    public const ushort NbCpus = 0x05;

    /// <summary>The machine type id (u32).</summary>
    public const ushort MachineId = 0x06;

    /// <summary>-kernel: where the protected-mode kernel goes (u32).</summary>
    public const ushort KernelAddr = 0x07;

    /// <summary>-kernel: its size in bytes (u32); 0 with no -kernel.</summary>
    public const ushort KernelSize = 0x08;

    /// <summary>The command line's address item of machines that place it themselves (sparc, ppc); x86 uses <see cref="CmdlineAddr"/>.</summary>
    public const ushort KernelCmdline = 0x09;

    /// <summary>-initrd: its load address (u32).</summary>
    public const ushort InitrdAddr = 0x0A;

    /// <summary>-initrd: its size in bytes (u32); 0 with none.</summary>
    public const ushort InitrdSize = 0x0B;

    /// <summary>The first boot device letter (u16: 'c' for the first hard disk).</summary>
    public const ushort BootDevice = 0x0C;

    /// <summary>The NUMA description (u64 node count, then per-CPU and per-node data); a zero count for none.</summary>
    public const ushort Numa = 0x0D;

    /// <summary>Non-zero to show the firmware's boot menu (u16).</summary>
    public const ushort BootMenu = 0x0E;

    /// <summary>The most CPUs the machine can have (u16).</summary>
    public const ushort MaxCpus = 0x0F;

    /// <summary>-kernel: its entry point (u32).</summary>
    public const ushort KernelEntry = 0x10;

    /// <summary>-kernel: the protected-mode kernel's bytes.</summary>
    public const ushort KernelData = 0x11;

    /// <summary>-initrd: its bytes.</summary>
    public const ushort InitrdData = 0x12;

    /// <summary>-append: where the command line goes (u32).</summary>
    public const ushort CmdlineAddr = 0x13;

    /// <summary>-append: the command line's size with its NUL (u32); 0 with none.</summary>
    public const ushort CmdlineSize = 0x14;

    /// <summary>-append: the command line's bytes.</summary>
    public const ushort CmdlineData = 0x15;

    /// <summary>-kernel: where the Linux real-mode setup goes (u32).</summary>
    public const ushort SetupAddr = 0x16;

    /// <summary>-kernel: the setup code's size in bytes (u32).</summary>
    public const ushort SetupSize = 0x17;

    /// <summary>-kernel: the setup code's bytes.</summary>
    public const ushort SetupData = 0x18;

    /// <summary>The file directory: a big-endian u32 count, then per file size, key, reserved and a 56-byte name.</summary>
    public const ushort FileDir = 0x19;

    /// <summary>The key of the first file (files are numbered from here in directory order).</summary>
    public const ushort FileFirst = 0x20;

    /// <summary>Bit 15: an architecture-local item.</summary>
    public const ushort ArchLocal = 0x8000;

    /// <summary>Bit 14: the legacy write flag in a selector (QEMU 2.4 and later ignore writes through the data port).</summary>
    public const ushort Write = 0x4000;

    /// <summary>x86 item 0x8000: the old ACPI tables item (now files under etc/acpi/).</summary>
    public const ushort AcpiTables = ArchLocal + 0;

    /// <summary>x86 item 0x8001: the old SMBIOS entries item (now etc/smbios/ files).</summary>
    public const ushort SmbiosEntries = ArchLocal + 1;

    /// <summary>x86 item 0x8002: non-zero when IRQ 0 is routed to I/O APIC pin 2 (an interrupt source override is needed).</summary>
    public const ushort Irq0Override = ArchLocal + 2;

    /// <summary>x86 item 0x8003: the old e820 reservation table (now the etc/e820 file).</summary>
    public const ushort E820Table = ArchLocal + 3;

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
