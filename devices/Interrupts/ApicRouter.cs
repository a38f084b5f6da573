using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>
/// What the CPU's INTR sees on an APIC board: the local APIC's accepted interrupts (from the I/O
/// APIC, its timer, IPIs) always; the 8259's INTR directly in PIC mode (the IMCR at ports
/// 0x22/0x23 selects it; an OS configured by ACPI never writes the IMCR) or with the APIC
/// globally disabled, and otherwise through LINT0 when that is programmed ExtINT (virtual wire
/// mode). ISA IRQ lines go to both the 8259 and the I/O APIC (IRQ 0 on pin 2, others on theirs).
/// </summary>
public sealed partial class ApicRouter : IInterruptController, IPortDevice
{
    private readonly DualPic _pic;
    private readonly LocalApic _lapic;
    private readonly IoApic _ioapic;
    private byte _imcrSelect, _imcr;

    /// <summary>Routes between the 8259 pair, the local APIC and the I/O APIC; starts in PIC mode (IMCR 0), as after reset.</summary>
    public ApicRouter(DualPic pic, LocalApic lapic, IoApic ioapic)
    {
        _pic = pic;
        _lapic = lapic;
        _ioapic = ioapic;
        ioapic.ExtInt = () => _extInt = true;
    }

    private bool _extInt; // an I/O APIC pin programmed ExtINT fired: the 8259's vector is taken through it

    /// <summary>IMCR bit 0: interrupts go through the APIC (set by the OS that wants symmetric mode).</summary>
    public bool ApicMode => (_imcr & 1) != 0 && _lapic.HardwareEnabled;

    /// <summary>Whether the 8259's INTR reaches the CPU now.</summary>
    private bool PicPending => _pic.InterruptPending && (!ApicMode || _lapic.Lint0ExtInt || _extInt);

    /// <inheritdoc/>
    public bool InterruptPending => _lapic.Pending() >= 0 || PicPending;

    /// <inheritdoc/>
    public int Acknowledge()
    {
        if (_lapic.Pending() >= 0)
        {
            return _lapic.Acknowledge();
        }
        if (PicPending)
        {
            _extInt = false;
            return _pic.Acknowledge();
        }
        return _lapic.Acknowledge();
    }

    /// <summary>Registers the IMCR's select and data ports (0x22, 0x23) on <paramref name="bus"/>.</summary>
    public void Attach(IoBus bus) => bus.Register(0x22, 2, this);

    /// <inheritdoc/>
    public uint Read(ushort port, int size) => port == 0x22 ? _imcrSelect : _imcrSelect == 0x70 ? _imcr : 0xFFu;

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        if (port == 0x22)
        {
            _imcrSelect = (byte)value;
        }
        else if (_imcrSelect == 0x70)
        {
            _imcr = (byte)(value & 1);
        }
    }

    /// <summary>The line for ISA IRQ <paramref name="irq"/>: the 8259 input and the I/O APIC pin.</summary>
    public IInterruptLine IsaIrq(int irq) => new Fanout(_pic.Irq(irq), _ioapic, irq == 0 ? 2 : irq);

    private sealed class Fanout(IInterruptLine pic, IoApic ioapic, int pin) : IInterruptLine
    {
        public void Set(bool level)
        {
            pic.Set(level);
            ioapic.SetPin(pin, level);
        }
    }
}
