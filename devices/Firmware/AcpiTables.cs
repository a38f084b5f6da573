using System.Text;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// The ACPI tables a BIOS would leave for the OS, written into the BIOS area below 1 MiB (which
/// the multiboot memory map leaves out): an RSDP on a 16-byte boundary in 0xE0000-0xFFFFF where
/// the specification says to search, an RSDT, a FADT (revision 1) describing the PM1a event and
/// control blocks and the PM timer and pointing at a FACS, and a DSDT with the \_S5 package, so an OS can power off
/// (SLP_TYP 5 with SLP_EN into PM1a_CNT), and the ISA devices, and on an APIC board a MADT (the local
/// APIC, the I/O APIC, IRQ 0 on GSI 2, the SCI level-triggered active-low, NMI on LINT1).
/// </summary>
public static class AcpiTables
{
    /// <summary>The RSDP's physical address: 16-byte aligned in the 0xE0000-0xFFFFF area an OS searches.</summary>
    public const uint RsdpAddress = 0x000F_0000;

    /// <summary>The RSDT's physical address (the RSDP points here).</summary>
    public const uint RsdtAddress = 0x000E_0000;

    /// <summary>The FACS's physical address; the FACS must sit on a 64-byte boundary.</summary>
    public const uint FacsAddress = 0x000E_0040;

    /// <summary>The FADT's physical address (the RSDT's first entry).</summary>
    public const uint FadtAddress = 0x000E_0100;

    /// <summary>The DSDT's physical address (the FADT points here).</summary>
    public const uint DsdtAddress = 0x000E_0200;

    /// <summary>The MADT's physical address, written on an APIC board only.</summary>
    public const uint MadtAddress = 0x000E_0800;

    /// <summary>The SLP_TYP value \_S5 names (written to PM1a_CNT bits 10-12 for soft-off).</summary>
    public const int SoftOffType = 5;

    private const string OemId = "M318EM";
    private const string OemTableId = "MINIX318";

    /// <summary>Writes the tables into <paramref name="mem"/> at their addresses, checksummed; the MADT (and its RSDT entry) only when <paramref name="withMadt"/>.</summary>
    public static void Write(PhysicalMemory mem, bool withMadt)
    {
        byte[] dsdt = Dsdt();
        mem.WriteBytes(DsdtAddress, dsdt);
        mem.WriteBytes(FacsAddress, Facs());
        mem.WriteBytes(FadtAddress, Fadt());
        if (withMadt)
        {
            mem.WriteBytes(MadtAddress, Madt());
        }
        mem.WriteBytes(RsdtAddress, Rsdt(withMadt));
        mem.WriteBytes(RsdpAddress, Rsdp());
    }

    private static byte[] Madt()
    {
        var entries = new List<byte>();
        entries.AddRange(new byte[] { 0, 8, 0, 0, 1, 0, 0, 0 });                         // processor local APIC: ID 0, enabled
        entries.AddRange(new byte[] { 1, 12, 1, 0 });                                    // I/O APIC ID 1
        entries.AddRange(BitConverter.GetBytes(Interrupts.IoApic.DefaultBase));
        entries.AddRange(BitConverter.GetBytes(0u));                                     // GSI base 0
        entries.AddRange(new byte[] { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 });                  // ISA IRQ 0 -> GSI 2, bus defaults
        entries.AddRange(new byte[] { 2, 10, 0, (byte)AcpiPm.SciIrq, (byte)AcpiPm.SciIrq, 0, 0, 0, 0x0D, 0 }); // SCI: level, active low
        entries.AddRange(new byte[] { 4, 6, 0xFF, 0, 0, 1 });                            // NMI on LINT1 of every processor
        byte[] b = Header("APIC", 44 + entries.Count, 1);
        BitConverter.GetBytes(Interrupts.LocalApic.DefaultBase).CopyTo(b, 36);
        BitConverter.GetBytes(1u).CopyTo(b, 40);                                         // PCAT_COMPAT: there are 8259s too
        entries.ToArray().CopyTo(b, 44);
        return Sealed(b);
    }

    /// <summary>RSDP, ACPI 1.0 (20 bytes): signature, checksum, OEM ID, revision 0, RSDT address.</summary>
    private static byte[] Rsdp()
    {
        var b = new byte[20];
        Encoding.ASCII.GetBytes("RSD PTR ").CopyTo(b, 0);
        Encoding.ASCII.GetBytes(OemId).CopyTo(b, 9);
        BitConverter.GetBytes(RsdtAddress).CopyTo(b, 16);
        b[8] = Checksum(b);
        return b;
    }

    private static byte[] Rsdt(bool withMadt)
    {
        byte[] b = Header("RSDT", 36 + (withMadt ? 8 : 4), 1);
        BitConverter.GetBytes(FadtAddress).CopyTo(b, 36);
        if (withMadt)
        {
            BitConverter.GetBytes(MadtAddress).CopyTo(b, 40);
        }
        return Sealed(b);
    }

    /// <summary>FADT revision 1 (116 bytes).</summary>
    private static byte[] Fadt()
    {
        byte[] b = Header("FACP", 116, 1);
        BitConverter.GetBytes(FacsAddress).CopyTo(b, 36);           // FIRMWARE_CTRL (revision 1 has no X_FIRMWARE_CTRL)
        BitConverter.GetBytes(DsdtAddress).CopyTo(b, 40);
        b[45] = 0;                                                  // preferred PM profile: unspecified
        BitConverter.GetBytes((ushort)AcpiPm.SciIrq).CopyTo(b, 46); // SCI_INT
        BitConverter.GetBytes(0u).CopyTo(b, 48);                    // SMI_CMD 0: ACPI is always enabled (SCI_EN reads 1)
        BitConverter.GetBytes((uint)AcpiPm.Pm1aEventBlock).CopyTo(b, 56);
        BitConverter.GetBytes((uint)AcpiPm.Pm1aControlBlock).CopyTo(b, 64);
        BitConverter.GetBytes((uint)AcpiPm.PmTimerBlock).CopyTo(b, 76);
        b[88] = 4;                                                  // PM1_EVT_LEN
        b[89] = 2;                                                  // PM1_CNT_LEN
        b[91] = 4;                                                  // PM_TMR_LEN
        BitConverter.GetBytes((ushort)101).CopyTo(b, 96);           // P_LVL2_LAT > 100: C2 not supported
        BitConverter.GetBytes((ushort)1001).CopyTo(b, 98);          // P_LVL3_LAT > 1000: C3 not supported
        b[109] = 0x03;                                              // IAPC_BOOT_ARCH: legacy devices, an 8042
        BitConverter.GetBytes(0x0000_0030u).CopyTo(b, 112);         // flags: power and sleep buttons are not fixed features
        return Sealed(b);
    }

    /// <summary>
    /// FACS in the ACPI 1.0 layout that goes with a revision-1 FADT (64 bytes, no checksum):
    /// "FACS", the length, a hardware signature of 0 (it only has to stay the same across a
    /// sleep; this board's never changes), the firmware waking vector 0 (the OS sets it before
    /// S3), the global lock free, no flags (no S4BIOS), and the rest reserved as zero (where
    /// later revisions keep the version, 0 here as in QEMU's).
    /// </summary>
    private static byte[] Facs()
    {
        var b = new byte[64];
        Encoding.ASCII.GetBytes("FACS").CopyTo(b, 0);
        BitConverter.GetBytes((uint)b.Length).CopyTo(b, 4);
        return b;
    }

    /// <summary>
    /// DSDT: Name(_S5, Package() { 5, 5, 0, 0 }), and under \_SB the ISA devices with their
    /// resources (the keyboard controller and mouse, the RTC, COM1 and COM2, the floppy
    /// controller), so an OS's ACPI PnP finds them instead of probing.
    /// </summary>
    private static byte[] Dsdt()
    {
        byte[] s5 = Aml.Name("_S5", Aml.Package(Aml.Byte(SoftOffType), Aml.Byte(SoftOffType), Aml.Byte(0), Aml.Byte(0)));
        byte[] sb = Aml.RootScope("_SB",
            Aml.Device("KBD", "PNP0303", null, Aml.Io(0x60, 1), Aml.Io(0x64, 1), Aml.Irq(1)),
            Aml.Device("MOU", "PNP0F13", null, Aml.Irq(12)),
            Aml.Device("RTC", "PNP0B00", null, Aml.Io(0x70, 2), Aml.Irq(8)),
            Aml.Device("COM1", "PNP0501", 1, Aml.Io(Board.PcBoard.Com1Port, 8), Aml.Irq(4)),
            Aml.Device("COM2", "PNP0501", 2, Aml.Io(Board.PcBoard.Com2Port, 8), Aml.Irq(3)),
            Aml.Device("FDC0", "PNP0700", null, Aml.Io(0x3F0, 6), Aml.Io(0x3F7, 1), Aml.Irq(6), Aml.Dma(2)));
        byte[] b = Header("DSDT", 36 + s5.Length + sb.Length, 1);
        s5.CopyTo(b, 36);
        sb.CopyTo(b, 36 + s5.Length);
        if (b.Length > MadtAddress - DsdtAddress)
        {
            throw new InvalidOperationException("the DSDT outgrew its place below the MADT");
        }
        return Sealed(b);
    }

    /// <summary>The 36-byte system description header, checksum left for <see cref="Sealed"/>.</summary>
    private static byte[] Header(string signature, int length, byte revision)
    {
        var b = new byte[length];
        Encoding.ASCII.GetBytes(signature).CopyTo(b, 0);
        BitConverter.GetBytes((uint)length).CopyTo(b, 4);
        b[8] = revision;
        Encoding.ASCII.GetBytes(OemId).CopyTo(b, 10);
        Encoding.ASCII.GetBytes(OemTableId).CopyTo(b, 16);
        BitConverter.GetBytes(1u).CopyTo(b, 24);                   // OEM revision
        Encoding.ASCII.GetBytes("M318").CopyTo(b, 28);             // creator ID
        BitConverter.GetBytes(1u).CopyTo(b, 32);                   // creator revision
        return b;
    }

    private static byte[] Sealed(byte[] b)
    {
        b[9] = 0;
        b[9] = Checksum(b);
        return b;
    }

    /// <summary>The byte that makes all bytes sum to zero.</summary>
    internal static byte Checksum(ReadOnlySpan<byte> b)
    {
        int sum = 0;
        foreach (byte x in b)
        {
            sum += x;
        }
        return (byte)(-sum & 0xFF);
    }
}
