using System.Text;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// The Intel MultiProcessor Specification 1.4 tables a BIOS leaves on an APIC board: the floating
/// pointer in the BIOS area (with the IMCR-present feature bit) and a configuration table with
/// the one processor, the ISA bus, the I/O APIC, the ISA interrupt assignments (IRQ 0 on INTIN 2,
/// the 8259 as ExtINT on INTIN 0) and the local interrupts (ExtINT on LINT0, NMI on LINT1).
/// </summary>
public static class MpTable
{
    /// <summary>The MP floating pointer structure's physical address: 16-byte aligned in the BIOS ROM area an OS searches.</summary>
    public const uint FloatingPointerAddress = 0x000F_0020;

    /// <summary>The MP configuration table's physical address (the floating pointer's PHYSICAL ADDRESS POINTER).</summary>
    public const uint ConfigTableAddress = 0x000E_0400;

    /// <summary>Writes the floating pointer and the configuration table into <paramref name="mem"/>, both checksummed.</summary>
    public static void Write(PhysicalMemory mem)
    {
        var entries = new List<byte[]>
        {
            Processor(),
            Bus(0, "ISA   "),
            IoApicEntry(),
            Interrupt(type: 3, irq: 0, intin: 0), // the 8259's INTR as ExtINT
        };
        for (byte irq = 0; irq < 16; irq++)
        {
            if (irq != 2)
            {
                entries.Add(Interrupt(type: 0, irq, intin: irq == 0 ? (byte)2 : irq));
            }
        }
        entries.Add(LocalInterrupt(type: 3, lint: 0));
        entries.Add(LocalInterrupt(type: 1, lint: 1));

        int length = 44 + entries.Sum(e => e.Length);
        var table = new byte[length];
        Encoding.ASCII.GetBytes("PCMP").CopyTo(table, 0);
        BitConverter.GetBytes((ushort)length).CopyTo(table, 4);
        table[6] = 4; // specification 1.4
        Encoding.ASCII.GetBytes("M318EM  ").CopyTo(table, 8);
        Encoding.ASCII.GetBytes("MINIX318EMU ").CopyTo(table, 16);
        BitConverter.GetBytes((ushort)entries.Count).CopyTo(table, 34);
        BitConverter.GetBytes(Interrupts.LocalApic.DefaultBase).CopyTo(table, 36);
        int at = 44;
        foreach (byte[] e in entries)
        {
            e.CopyTo(table, at);
            at += e.Length;
        }
        table[7] = AcpiTables.Checksum(table);
        mem.WriteBytes(ConfigTableAddress, table);

        var fp = new byte[16];
        Encoding.ASCII.GetBytes("_MP_").CopyTo(fp, 0);
        BitConverter.GetBytes(ConfigTableAddress).CopyTo(fp, 4);
        fp[8] = 1;      // length in 16-byte units
        fp[9] = 4;      // specification 1.4
        fp[11] = 0;     // feature 1: the configuration table is present (no default configuration)
        fp[12] = 0x80;  // feature 2: IMCR present (PIC mode at boot)
        fp[10] = AcpiTables.Checksum(fp);
        mem.WriteBytes(FloatingPointerAddress, fp);
    }

    private static byte[] Processor()
    {
        var e = new byte[20];
        e[0] = 0;
        e[1] = 0;       // local APIC ID
        e[2] = 0x14;    // local APIC version
        e[3] = 0x03;    // enabled, bootstrap processor
        BitConverter.GetBytes(Emulator.Processor.Cpu.Signature).CopyTo(e, 4);
        BitConverter.GetBytes(Emulator.Processor.Cpu.FeatureEdx | (1u << 9)).CopyTo(e, 8);
        return e;
    }

    private static byte[] Bus(byte id, string type)
    {
        var e = new byte[8];
        e[0] = 1;
        e[1] = id;
        Encoding.ASCII.GetBytes(type).CopyTo(e, 2);
        return e;
    }

    private static byte[] IoApicEntry()
    {
        var e = new byte[8];
        e[0] = 2;
        e[1] = 1;       // I/O APIC ID
        e[2] = 0x11;    // version
        e[3] = 1;       // enabled
        BitConverter.GetBytes(Interrupts.IoApic.DefaultBase).CopyTo(e, 4);
        return e;
    }

    private static byte[] Interrupt(byte type, byte irq, byte intin) =>
        new byte[] { 3, type, 0, 0, 0, irq, 1, intin }; // flags 0: conforms to the bus (ISA: edge, active high)

    private static byte[] LocalInterrupt(byte type, byte lint) =>
        new byte[] { 4, type, 0, 0, 0, 0, 0xFF, lint }; // to every local APIC
}
