using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Processor;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>
/// The PC's cascaded 8259A pair: master at 0x20/0x21 with the slave's INT on IR2, slave at
/// 0xA0/0xA1, and the PIIX edge/level control registers at 0x4D0/0x4D1. It is the CPU's
/// interrupt controller; devices get one <see cref="IInterruptLine"/> per IRQ 0-15.
/// </summary>
public sealed partial class DualPic : IInterruptController, IPortDevice
{
    private const int CascadeIrq = 2;
    private readonly IInterruptLine[] _lines = new IInterruptLine[16];

    /// <summary>Creates the pair; IRQ0-2 and IRQ8 and 13 are always edge triggered (the ELCR masks them).</summary>
    public DualPic()
    {
        Master = new Pic8259 { ElcrWritable = 0xF8 };
        Slave = new Pic8259 { ElcrWritable = 0xDE };
        Master.Changed = Update;
        Slave.Changed = Update;
        for (int i = 0; i < 16; i++)
        {
            _lines[i] = new Line(this, i);
        }
    }

    /// <summary>The master controller.</summary>
    public Pic8259 Master { get; }

    /// <summary>The slave controller.</summary>
    public Pic8259 Slave { get; }

    /// <summary>Interrupts acknowledged so far (statistics).</summary>
    public long Acknowledged { get; private set; }

    /// <summary>Spurious interrupts answered (IRQ 7 or 15 with no ISR bit set).</summary>
    public long Spurious { get; private set; }

    /// <inheritdoc/>
    public bool InterruptPending { get; private set; }

    /// <summary>The line for IRQ <paramref name="irq"/> (0-15).</summary>
    public IInterruptLine Irq(int irq) => _lines[irq];

    /// <summary>Registers the ports on <paramref name="bus"/>.</summary>
    public void Attach(IoBus bus)
    {
        bus.Register(0x20, 2, this);
        bus.Register(0xA0, 2, this);
        bus.Register(0x4D0, 2, this);
    }

    private void SetIrq(int irq, bool level)
    {
        if (irq < 8)
        {
            Master.SetLine(irq, level);
        }
        else
        {
            Slave.SetLine(irq - 8, level);
        }
    }

    private bool _updating;

    /// <summary>Propagates the slave's INT to the master's IR2 and recomputes the CPU's INTR.</summary>
    private void Update()
    {
        if (_updating)
        {
            return;
        }
        _updating = true;
        bool before = InterruptPending;
        Master.SetLine(CascadeIrq, Slave.PendingIrq() >= 0);
        InterruptPending = Master.PendingIrq(CascadeIrq) >= 0;
        _updating = false;
        if (InterruptPending && !before)
        {
            Raised?.Invoke();
        }
    }

    /// <summary>Called when INTR is asserted (the CPU recognises it at the next instruction boundary).</summary>
    public Action? Raised { get; set; }

    /// <inheritdoc/>
    public int Acknowledge()
    {
        Acknowledged++;
        int irq = Master.PendingIrq(CascadeIrq);
        int vector;
        if (irq < 0)
        {
            // The request went away before INTA: the master answers IR7 without setting ISR.
            Spurious++;
            vector = Master.VectorBase + 7;
        }
        else if (irq == CascadeIrq)
        {
            Master.Acknowledge(irq);
            int s = Slave.PendingIrq();
            if (s < 0)
            {
                Spurious++;
                vector = Slave.VectorBase + 7;
            }
            else
            {
                Slave.Acknowledge(s);
                vector = Slave.VectorBase + s;
            }
        }
        else
        {
            Master.Acknowledge(irq);
            vector = Master.VectorBase + irq;
        }
        Update();
        return vector;
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size) => port switch
    {
        0x20 or 0x21 => Master.Read(port & 1),
        0xA0 or 0xA1 => Slave.Read(port & 1),
        0x4D0 => Master.LevelTriggered,
        _ => Slave.LevelTriggered,
    };

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        byte v = (byte)value;
        switch (port)
        {
            case 0x20:
            case 0x21:
                Master.Write(port & 1, v);
                break;
            case 0xA0:
            case 0xA1:
                Slave.Write(port & 1, v);
                break;
            case 0x4D0:
                Master.LevelTriggered = (byte)(v & Master.ElcrWritable);
                Update();
                break;
            default:
                Slave.LevelTriggered = (byte)(v & Slave.ElcrWritable);
                Update();
                break;
        }
    }

    private sealed class Line : IInterruptLine
    {
        private readonly DualPic _pic;
        private readonly int _irq;

        public Line(DualPic pic, int irq)
        {
            _pic = pic;
            _irq = irq;
        }

        public void Set(bool level) => _pic.SetIrq(_irq, level);
    }
}
