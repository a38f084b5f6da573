using Minix318Emu.Devices.Chipset;
using Minix318Emu.Devices.Debug;
using Minix318Emu.Devices.Dma;
using Minix318Emu.Devices.Input;
using Minix318Emu.Devices.Interrupts;
using Minix318Emu.Devices.Pci;
using Minix318Emu.Devices.Rtc;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Devices.Timer;
using Minix318Emu.Devices.Video;
using Minix318Emu.Emulator.Machine;
using Serilog;
using Serilog.Events;

namespace Minix318Emu.Devices.Board;

/// <summary>
/// Wires a PC of the PIIX era to a machine: the 8259 pair (the CPU's interrupt controller),
/// 8254 and port 0x61, RTC/CMOS, COM1, both IDE channels with bus-master DMA, PCI
/// configuration space, the i8042 with a PS/2 mouse, COM2, the ISA DMA controllers, a floppy
/// controller with up to two 1.44 MB drives,
/// VGA text, ports 0x92, 0x80 and 0xF0, and the exit device.
/// IRQs: 0 PIT, 1 keyboard, 3 COM2, 4 COM1, 6 floppy, 8 RTC, 12 mouse, 13 FPU, 14/15 IDE.
/// </summary>
public sealed partial class PcBoard : IDisposable
{
    /// <summary>COM1's base port.</summary>
    public const ushort Com1Port = 0x3F8;

    /// <summary>COM2's base port.</summary>
    public const ushort Com2Port = 0x2F8;

    /// <summary>Attaches the devices to <paramref name="machine"/>.</summary>
    public PcBoard(PcMachine machine, BoardConfig config)
    {
        Machine = machine;
        var io = machine.Io;

        // Unclaimed ports read all ones (the bus does that); at debug level they are also named.
        io.Unclaimed = (port, write, value) =>
        {
            if (Log.IsEnabled(LogEventLevel.Debug))
            {
                Log.Debug("unclaimed I/O port {Port:X4} {Access} {Value:X}", port, write ? "write" : "read", value);
            }
        };

        Pic = new DualPic();
        Pic.Attach(io);
        Pic.Raised = machine.Cpu.InterruptRequestChanged;
        machine.Cpu.InterruptController = Pic;
        if (config.Apic)
        {
            // A local APIC and an I/O APIC, left as a BIOS leaves them: virtual wire mode (LINT0
            // ExtINT, LINT1 NMI) and the IMCR on PIC mode, so legacy code keeps the 8259.
            LocalApic = new LocalApic(machine.Clock);
            LocalApic.VirtualWireMode();
            LocalApic.Raised = machine.Cpu.InterruptRequestChanged;
            IoApic = new IoApic(LocalApic);
            Router = new ApicRouter(Pic, LocalApic, IoApic);
            Router.Attach(io);
            machine.Memory.MapMmio(Interrupts.LocalApic.DefaultBase, 0x1000, LocalApic);
            machine.Memory.MapMmio(Interrupts.IoApic.DefaultBase, 0x1000, IoApic);
            machine.Cpu.InterruptController = Router;
            machine.Cpu.ApicPresent = true;
            uint apicBase = Interrupts.LocalApic.DefaultBase;
            machine.Cpu.ApicBaseChanged = v =>
            {
                LocalApic.HardwareEnabled = (v & 0x800) != 0;
                uint moved = (uint)v & 0xFFFF_F000;
                if (moved != apicBase)
                {
                    // The guest relocated the APIC's registers (IA32_APIC_BASE bits 35-12; 32-bit physical here).
                    machine.Memory.UnmapMmio(apicBase, LocalApic);
                    machine.Memory.MapMmio(moved, 0x1000, LocalApic);
                    apicBase = moved;
                }
            };
            LocalApic.Nmi = machine.Cpu.RaiseNmi;
        }

        Pit = new Pit8254(machine.Clock, Irq(0));
        Pit.Attach(io);
        _port61 = new SystemControlPortB(Pit, machine.Clock);
        io.Register(0x61, 1, _port61);

        Rtc = new Mc146818Rtc(machine.Clock, Irq(8), config.RtcStart);
        Rtc.Attach(io);

        Com1 = new Uart16550(Com1Port, config.Com1Sink, Irq(4));
        io.Register(Com1Port, 8, Com1);
        Com2 = new Uart16550(Com2Port, config.Com2Sink, Irq(3));
        io.Register(Com2Port, 8, Com2);

        Dma = new IsaDma(machine.Memory);
        Dma.Attach(io);
        Floppy = new FloppyController(Irq(6), Dma);
        Floppy.Attach(io);
        if (config.Floppies.Count > 2)
        {
            throw new ArgumentException("a PC has at most two floppy drives", nameof(config));
        }
        for (int i = 0; i < config.Floppies.Count; i++)
        {
            Floppy.AttachDrive(i, config.Floppies[i]);
            _disks.Add(config.Floppies[i].Image);
        }

        if (config.Apic)
        {
            Firmware.MpTable.Write(machine.Memory);
        }
        if (config.Acpi)
        {
            Firmware.AcpiTables.Write(machine.Memory, withMadt: config.Apic);
            _acpiPm = new Firmware.AcpiPm(machine.Clock, () => machine.Stop(StopReason.PowerOff, 0, "the guest powered off through ACPI (S5)"));
            _acpiPm.Attach(io);
        }

        Keyboard = new I8042Controller(Irq(1), Irq(12))
        {
            A20Changed = machine.Memory.SetA20,
            ResetRequested = () => machine.Stop(StopReason.Reset, (int)StopReason.Reset, "the guest reset the machine through the keyboard controller"),
        };
        Keyboard.Attach(io);

        Vga = new VgaText();
        Vga.Attach(machine.Memory, io);

        _port92 = new SystemControlPortA(machine.Memory,
            () => machine.Stop(StopReason.Reset, (int)StopReason.Reset, "the guest reset the machine through port 0x92"));
        io.Register(0x92, 1, _port92);
        Post = new PostCodePort();
        io.Register(0x80, 1, Post);
        _portF0 = new FpuErrorPort(machine.Cpu, Irq(13));
        io.Register(FpuErrorPort.Port, 1, _portF0);

        Exit = new ExitDevice(machine);
        io.Register(ExitDevice.DefaultPort, 4, Exit);

        // IDE: both legacy channels, with bus-master DMA behind the PIIX3 IDE function.
        Ide = new[]
        {
            new IdeChannel(0x1F0, 0x3F6, Irq(14)),
            new IdeChannel(0x170, 0x376, Irq(15)),
        };
        int serial = 1;
        foreach (var (slot, image) in config.Disks)
        {
            Ide[slot.Channel].AttachDrive(slot.Unit, new AtaDrive(image, $"M318E{serial++:D4}"));
            _disks.Add(image);
        }
        foreach (IdeChannel c in Ide)
        {
            c.Attach(io);
        }
        _busMaster = new BusMasterPorts(new BusMasterDma(machine.Memory, Ide[0]), new BusMasterDma(machine.Memory, Ide[1]));

        Pam = new PamShadow(machine.Memory, addr => _firmware?.LowAlias(addr) ?? 0xFF);
        _hostBridge = new HostBridge(Pam);
        Pci = new PciConfigSpace();
        Pci.Attach(io);
        Pci.Add(0, 0, _hostBridge);
        Pci.Add(1, 0, new IsaBridge());
        Pci.Add(1, 1, new IdeFunction(io, _busMaster));

        FillCmos(machine.Memory.RamSize, config.Disks, config.Floppies.Count);
        _config = config;

        FirmwareConfig = Firmware.BoardFirmwareConfig.Create(machine.Memory);
        FirmwareConfig.Attach(io);
    }

    private readonly HostBridge _hostBridge;
    private Firmware.FirmwareRom? _firmware;

    /// <summary>The i440FX's BIOS shadowing (PAM registers of the host bridge).</summary>
    public PamShadow Pam { get; }

    /// <summary>QEMU's firmware configuration device (fw_cfg) at 0x510, as SeaBIOS expects it.</summary>
    public Firmware.FirmwareConfig FirmwareConfig { get; }

    /// <summary>
    /// Puts <paramref name="rom"/> in the BIOS's place and the shadow registers in their reset
    /// state (every PAM field 0, so 0xC0000-0xFFFFF reads the bus and 0xE0000-0xFFFFF the ROM's
    /// alias); <paramref name="vgaBios"/>, if given, is offered to the firmware as the VGA
    /// option ROM through fw_cfg ("vgaroms/vgabios.bin", as QEMU's ISA VGA offers it).
    /// </summary>
    public void MapFirmware(byte[] rom, byte[]? vgaBios)
    {
        _firmware = Firmware.FirmwareRom.Map(rom, Machine.Memory);
        _hostBridge.WriteConfig(0x58, 0, 0b1110);
        _hostBridge.WriteConfig(0x5C, 0, 0b1111);
        if (vgaBios is not null)
        {
            FirmwareConfig.AddFile("vgaroms/vgabios.bin", vgaBios);
        }
    }

    private readonly BoardConfig _config;

    /// <summary>
    /// Leaves low memory as a BIOS's POST would on this board (data area, IVT, EBDA, ROM
    /// identity, cleared screen): for the boot routes where no firmware runs.
    /// </summary>
    public void WriteLegacyBiosState() =>
        Firmware.LegacyBiosState.Write(Machine.Memory, _config.Floppies.Count, _config.Disks.Count, serialPorts: 2, _config.RtcStart);

    private readonly List<DiskImage> _disks = new();

    /// <summary>The machine the board is wired to: CPU, memory, I/O bus, clock.</summary>
    public PcMachine Machine { get; }

    /// <summary>The master and slave 8259A (IRQ 0-7 and 8-15, cascaded on IRQ 2).</summary>
    public DualPic Pic { get; }

    /// <summary>The 8254 timer (ports 0x40-0x43; channel 0 on IRQ 0, channel 2 gated and read back through port 0x61).</summary>
    public Pit8254 Pit { get; }

    /// <summary>The MC146818 RTC and CMOS RAM (ports 0x70-0x71, IRQ 8), filled as a BIOS leaves it.</summary>
    public Mc146818Rtc Rtc { get; }

    /// <summary>COM1 (0x3F8, IRQ 4): the console of every boot route.</summary>
    public Uart16550 Com1 { get; }

    /// <summary>The 8042 keyboard controller (ports 0x60 and 0x64; keyboard on IRQ 1, PS/2 mouse on IRQ 12).</summary>
    public I8042Controller Keyboard { get; }

    /// <summary>VGA text mode: the video window at 0xA0000 and the CRT controller ports.</summary>
    public VgaText Vga { get; }

    /// <summary>The line for ISA IRQ <paramref name="irq"/>: the 8259, and on an APIC board the I/O APIC too.</summary>
    public Emulator.Interrupts.IInterruptLine Irq(int irq) => Router?.IsaIrq(irq) ?? Pic.Irq(irq);

    /// <summary>The local APIC, or null with --no-apic.</summary>
    public LocalApic? LocalApic { get; }

    /// <summary>The I/O APIC, or null with --no-apic.</summary>
    public IoApic? IoApic { get; }

    /// <summary>The interrupt routing between the 8259 and the APICs, or null with --no-apic.</summary>
    public ApicRouter? Router { get; }

    /// <summary>COM2 (0x2F8, IRQ 3).</summary>
    public Uart16550 Com2 { get; }

    /// <summary>The ISA DMA controllers (the floppy uses channel 2).</summary>
    public IsaDma Dma { get; }

    /// <summary>The floppy controller.</summary>
    public FloppyController Floppy { get; }

    /// <summary>The POST-code latch at port 0x80.</summary>
    public PostCodePort Post { get; }

    /// <summary>The isa-debug-exit device at port 0xF4: a guest write ends the run.</summary>
    public ExitDevice Exit { get; }

    /// <summary>The two legacy IDE channels: [0] primary (0x1F0/0x3F6, IRQ 14), [1] secondary (0x170/0x376, IRQ 15).</summary>
    public IdeChannel[] Ide { get; }

    /// <summary>PCI configuration mechanism #1 (ports 0xCF8/0xCFC): host bridge 0:0, PIIX3 ISA bridge 1:0 and IDE 1:1.</summary>
    public PciConfigSpace Pci { get; }

    /// <summary>The CMOS bytes a BIOS leaves: memory sizes, equipment, hard disk types, century, checksum.</summary>
    private void FillCmos(uint ramBytes, IReadOnlyDictionary<IdeSlot, DiskImage> disks, int floppies)
    {
        uint extendedKb = Math.Min((ramBytes - 0x10_0000) / 1024, 0xFFFF);
        Rtc.SetCmos(0x10, (byte)((floppies > 0 ? 0x40 : 0) | (floppies > 1 ? 0x04 : 0))); // type 4: 1.44 MB
        bool hd0 = disks.ContainsKey(new IdeSlot(0, 0)), hd1 = disks.ContainsKey(new IdeSlot(0, 1));
        Rtc.SetCmos(0x12, (byte)((hd0 ? 0xF0 : 0) | (hd1 ? 0x0F : 0))); // type 15: see 0x19/0x1A
        Rtc.SetCmos(0x19, (byte)(hd0 ? 47 : 0));
        Rtc.SetCmos(0x1A, (byte)(hd1 ? 47 : 0));
        // Equipment: floppy drives present (bit 0) and their number less one (bits 7-6), an FPU (bit 1), bits 5-4 = 00: VGA.
        Rtc.SetCmos(0x14, (byte)(0x06 | (floppies > 0 ? 0x01 | ((floppies - 1) << 6) : 0)));
        Rtc.SetCmos(0x15, 0x80);                     // base memory 640 KiB
        Rtc.SetCmos(0x16, 0x02);
        Rtc.SetCmos(0x17, (byte)extendedKb);
        Rtc.SetCmos(0x18, (byte)(extendedKb >> 8));
        Rtc.SetCmos(0x30, (byte)extendedKb);
        Rtc.SetCmos(0x31, (byte)(extendedKb >> 8));
        uint above16M = ramBytes > 0x100_0000 ? (ramBytes - 0x100_0000) / 0x1_0000 : 0;
        Rtc.SetCmos(0x34, (byte)above16M);
        Rtc.SetCmos(0x35, (byte)(above16M >> 8));
        Rtc.UpdateChecksum();
    }

    /// <summary>Types <paramref name="text"/> on the keyboard at guest tick <paramref name="tick"/>.</summary>
    public void TypeAt(ulong tick, string text) => Machine.Clock.ScheduleHost(tick, () => Keyboard.TypeText(text));

    /// <summary>Moves host serial input into COM1 every millisecond of guest time (interactive use only: it keeps an event pending).</summary>
    public void PollHostInput()
    {
        ulong period = Machine.Clock.TicksFromNanoseconds(1_000_000);
        void Poll()
        {
            Com1.Poll();
            Machine.Clock.ScheduleHost(Machine.Clock.Now + period, Poll);
        }
        Machine.Clock.ScheduleHost(Machine.Clock.Now + period, Poll);
    }

    /// <summary>Flushes serial output and written-through disks (on exit and Ctrl-C).</summary>
    public void Flush()
    {
        Com1.Flush();
        foreach (DiskImage d in _disks)
        {
            d.Flush();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Flush();
        foreach (DiskImage d in _disks)
        {
            d.Dispose();
        }
    }
}
