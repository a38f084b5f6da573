namespace Minix318Emu.Devices.Interrupts;

/// <summary>
/// One Intel 8259A programmable interrupt controller (datasheet 231468): the ICW1-4
/// initialisation sequence, OCW1-3, edge and level triggering (through the ELCR), auto-EOI,
/// specific and non-specific EOI, priority rotation, special mask mode, poll mode and the
/// IRR/ISR reads. The pair is wired by <see cref="DualPic"/>.
/// </summary>
public sealed partial class Pic8259
{
    private byte _lines;        // current input levels
    private int _initStep;      // 0: operating; 1..3: expecting ICW2..ICW4
    private bool _needIcw4;
    private bool _readIsr;
    private bool _pollNext;
    private bool _rotateOnAutoEoi;

    /// <summary>Interrupt request register.</summary>
    public byte Irr { get; private set; }

    /// <summary>In-service register.</summary>
    public byte Isr { get; private set; }

    /// <summary>Interrupt mask register (OCW1).</summary>
    public byte Imr { get; private set; }

    /// <summary>The vector base from ICW2 (low three bits zero).</summary>
    public byte VectorBase { get; private set; }

    /// <summary>Bits set for level-triggered inputs (the ELCR, or all with ICW1.LTIM).</summary>
    public byte LevelTriggered { get; set; }

    /// <summary>Mask of ELCR bits that may be set on this controller.</summary>
    public byte ElcrWritable { get; init; } = 0xFF;

    /// <summary>The lowest-priority input is (PriorityAdd - 1) &amp; 7; 0 means IR0 has the highest priority.</summary>
    public int PriorityAdd { get; private set; }

    /// <summary>ICW4.AEOI.</summary>
    public bool AutoEoi { get; private set; }

    /// <summary>OCW3 special mask mode.</summary>
    public bool SpecialMask { get; private set; }

    /// <summary>ICW4.SFNM (special fully nested mode, meaningful on the master).</summary>
    public bool SpecialFullyNested { get; private set; }

    /// <summary>ICW1.SNGL.</summary>
    public bool Single { get; private set; }

    /// <summary>Called after every change that may alter the INT output.</summary>
    public Action? Changed { get; set; }

    /// <summary>Drives input <paramref name="irq"/>: a rising edge latches IRR in edge mode; in level mode IRR follows the line.</summary>
    public void SetLine(int irq, bool level)
    {
        byte bit = (byte)(1 << irq);
        bool old = (_lines & bit) != 0;
        if (level)
        {
            _lines |= bit;
            if ((LevelTriggered & bit) != 0 || !old)
            {
                Irr |= bit;
            }
        }
        else
        {
            _lines &= (byte)~bit;
            if ((LevelTriggered & bit) != 0)
            {
                Irr &= (byte)~bit;
            }
        }
        Changed?.Invoke();
    }

    /// <summary>The priority (0 = highest) of the highest-priority bit of <paramref name="mask"/>, or 8 for none.</summary>
    private int Priority(byte mask)
    {
        if (mask == 0)
        {
            return 8;
        }
        int p = 0;
        while ((mask & (1 << ((p + PriorityAdd) & 7))) == 0)
        {
            p++;
        }
        return p;
    }

    /// <summary>The input that would be delivered now, or -1 (the INT output is low).</summary>
    /// <param name="cascadeInput">The master's cascade input, exempt from in-service blocking in special fully nested mode.</param>
    public int PendingIrq(int cascadeInput = -1)
    {
        byte requests = (byte)(Irr & ~Imr);
        int p = Priority(requests);
        if (p == 8)
        {
            return -1;
        }
        byte inService = Isr;
        if (SpecialMask)
        {
            inService &= (byte)~Imr; // special mask mode: masked levels do not block lower ones
        }
        if (SpecialFullyNested && cascadeInput >= 0)
        {
            inService &= (byte)~(1 << cascadeInput);
        }
        return p < Priority(inService) ? (p + PriorityAdd) & 7 : -1;
    }

    /// <summary>The INTA cycle for input <paramref name="irq"/>: sets ISR (unless auto-EOI) and clears an edge request.</summary>
    public void Acknowledge(int irq)
    {
        byte bit = (byte)(1 << irq);
        if (AutoEoi)
        {
            if (_rotateOnAutoEoi)
            {
                PriorityAdd = (irq + 1) & 7;
            }
        }
        else
        {
            Isr |= bit;
        }
        if ((LevelTriggered & bit) == 0)
        {
            Irr &= (byte)~bit;
        }
        Changed?.Invoke();
    }

    /// <summary>Reads the command port (A0 = 0) or the data port (A0 = 1).</summary>
    public byte Read(int a0)
    {
        if (_pollNext)
        {
            _pollNext = false;
            return Poll();
        }
        if (a0 == 1)
        {
            return Imr;
        }
        return _readIsr ? Isr : Irr;
    }

    /// <summary>Poll mode: the highest pending request is acknowledged and reported as 0x80 | level, or 0.</summary>
    private byte Poll()
    {
        int irq = PendingIrq();
        if (irq < 0)
        {
            return 0;
        }
        Acknowledge(irq);
        return (byte)(0x80 | irq);
    }

    /// <summary>Writes the command port (A0 = 0) or the data port (A0 = 1).</summary>
    public void Write(int a0, byte v)
    {
        if (a0 == 0)
        {
            if ((v & 0x10) != 0)
            {
                Icw1(v);
            }
            else if ((v & 0x08) != 0)
            {
                Ocw3(v);
            }
            else
            {
                Ocw2(v);
            }
        }
        else
        {
            switch (_initStep)
            {
                case 1:
                    VectorBase = (byte)(v & 0xF8);
                    _initStep = Single ? (_needIcw4 ? 3 : 0) : 2;
                    break;
                case 2:
                    _initStep = _needIcw4 ? 3 : 0; // ICW3: the cascade wiring is fixed on a PC
                    break;
                case 3:
                    AutoEoi = (v & 0x02) != 0;
                    SpecialFullyNested = (v & 0x10) != 0;
                    _initStep = 0;
                    break;
                default:
                    Imr = v;
                    break;
            }
        }
        Changed?.Invoke();
    }

    private void Icw1(byte v)
    {
        // Initialisation clears IMR and ISR, resets priorities and modes, and selects IRR for reads.
        Imr = 0;
        Isr = 0;
        PriorityAdd = 0;
        _readIsr = false;
        _pollNext = false;
        SpecialMask = false;
        AutoEoi = false;
        _rotateOnAutoEoi = false;
        SpecialFullyNested = false;
        _needIcw4 = (v & 0x01) != 0;
        Single = (v & 0x02) != 0;
        if ((v & 0x08) != 0)
        {
            LevelTriggered = 0xFF; // LTIM: all inputs level triggered
        }
        Irr &= LevelTriggered; // edge requests are forgotten; level inputs re-sample
        Irr |= (byte)(_lines & LevelTriggered);
        _initStep = 1;
    }

    private void Ocw2(byte v)
    {
        int level = v & 7;
        switch (v >> 5)
        {
            case 0: // rotate in automatic EOI mode (clear)
                _rotateOnAutoEoi = false;
                break;
            case 4: // rotate in automatic EOI mode (set)
                _rotateOnAutoEoi = true;
                break;
            case 1: // non-specific EOI
            case 5: // rotate on non-specific EOI
            {
                int p = Priority(Isr);
                if (p != 8)
                {
                    int irq = (p + PriorityAdd) & 7;
                    Isr &= (byte)~(1 << irq);
                    if (v >> 5 == 5)
                    {
                        PriorityAdd = (irq + 1) & 7;
                    }
                }
                break;
            }
            case 3: // specific EOI
                Isr &= (byte)~(1 << level);
                break;
            case 7: // rotate on specific EOI
                Isr &= (byte)~(1 << level);
                PriorityAdd = (level + 1) & 7;
                break;
            case 6: // set priority: the given level becomes the lowest
                PriorityAdd = (level + 1) & 7;
                break;
        }
    }

    private void Ocw3(byte v)
    {
        if ((v & 0x04) != 0)
        {
            _pollNext = true;
        }
        if ((v & 0x02) != 0)
        {
            _readIsr = (v & 0x01) != 0;
        }
        if ((v & 0x40) != 0)
        {
            SpecialMask = (v & 0x20) != 0;
        }
    }
}
