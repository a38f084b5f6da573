using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>
/// The local xAPIC of the one CPU (MMIO at the APIC base, 0xFEE00000 by default): ID, version,
/// TPR/PPR, EOI, SVR, ISR/TMR/IRR, ESR, the LVT timer (one-shot and periodic, divide
/// configuration, counts in guest time), LINT0/LINT1 and error entries, and the ICR for
/// self-IPIs in fixed, lowest-priority and NMI modes (IPIs to processors that do not exist
/// complete and are lost, as on a uniprocessor board; SMI and INIT to itself stop the run as
/// not implemented; the P6 INIT level de-assert does nothing, as on an xAPIC). The timer counts at the guest clock rate divided by the divide value.
/// </summary>
public sealed partial class LocalApic : IMmioDevice
{
    /// <summary>The local APIC's MMIO base after reset (IA32_APIC_BASE), as the MP table and the MADT give it.</summary>
    public const uint DefaultBase = 0xFEE0_0000;
    private const uint LvtMasked = 1u << 16, LvtLevel = 1u << 15, LvtPeriodic = 1u << 17;
    private const uint IcrLevelAssert = 1u << 14, IcrTriggerLevel = 1u << 15;

    private readonly VirtualClock _clock;
    private readonly uint[] _irr = new uint[8], _isr = new uint[8], _tmr = new uint[8];
    private uint _id, _tpr, _ldr, _dfr = 0xFFFF_FFFF, _svr = 0xFF, _esr, _esrPending, _icrLow, _icrHigh;
    private uint _lvtTimer = LvtMasked, _lvtLint0 = LvtMasked, _lvtLint1 = LvtMasked, _lvtError = LvtMasked;
    private uint _initialCount, _divide;
    private ulong _timerStart;
    private ScheduledEvent? _timerEvent;

    /// <summary>A local APIC in its reset state whose timer counts on <paramref name="clock"/>.</summary>
    public LocalApic(VirtualClock clock)
    {
        _clock = clock;
        clock.RegisterOwner(this);
    }

    private bool _hardwareEnabled = true;
    private int _pending = -1; // the deliverable vector, kept current: the CPU asks for it before every block

    /// <summary>Whether the APIC is globally enabled (IA32_APIC_BASE bit 11).</summary>
    public bool HardwareEnabled
    {
        get => _hardwareEnabled;
        set
        {
            _hardwareEnabled = value;
            Recompute();
        }
    }

    /// <summary>SVR bit 8.</summary>
    public bool SoftwareEnabled => (_svr & 0x100) != 0;

    /// <summary>The CPU's NMI input: an NMI delivered to this APIC (I/O APIC entry or IPI in NMI mode) raises it.</summary>
    public Action? Nmi { get; set; }

    /// <summary>An interrupt in NMI delivery mode: the vector is ignored and the CPU takes vector 2.</summary>
    public void AcceptNmi()
    {
        if (HardwareEnabled)
        {
            Nmi?.Invoke();
        }
    }

    /// <summary>Called with the vector of a level-triggered interrupt when it is EOIed (the I/O APIC clears its remote IRR).</summary>
    public Action<int>? LevelEoi { get; set; }

    /// <summary>LINT0 is programmed as ExtINT and not masked: the 8259's INTR reaches the CPU through it (virtual wire mode).</summary>
    public bool Lint0ExtInt => HardwareEnabled && (_lvtLint0 & LvtMasked) == 0 && ((_lvtLint0 >> 8) & 7) == 7;

    /// <summary>Programs LINT0 as ExtINT, LINT1 as NMI and enables the APIC, as a BIOS leaves it.</summary>
    public void VirtualWireMode()
    {
        _svr = 0x1FF;
        _lvtLint0 = 0x700;
        _lvtLint1 = 0x400;
        Recompute();
    }

    /// <summary>Accepts an interrupt (from the I/O APIC, the timer, a self-IPI): sets its IRR bit (and TMR for level).</summary>
    public void Accept(int vector, bool level)
    {
        if (!HardwareEnabled || vector < 16)
        {
            _esrPending |= 0x40; // received an illegal vector
            return;
        }
        Set(_irr, vector);
        if (level)
        {
            Set(_tmr, vector);
        }
        else
        {
            Clear(_tmr, vector);
        }
        Recompute();
    }

    /// <summary>The vector the CPU would take now, or -1: the highest IRR vector whose priority class is above PPR.</summary>
    public int Pending() => _pending;

    /// <summary>Recomputes <see cref="Pending"/> after IRR, ISR, TPR, SVR or the global enable changed.</summary>
    private void Recompute()
    {
        int before = _pending;
        int irr = _hardwareEnabled && SoftwareEnabled ? Highest(_irr) : -1;
        _pending = irr >= 0 && (irr & 0xF0) > (Ppr & 0xF0) ? irr : -1;
        if (_pending >= 0 && _pending != before)
        {
            Raised?.Invoke();
        }
    }

    /// <summary>
    /// Called when an interrupt becomes deliverable (accepted, or let through by an EOI, a TPR or
    /// SVR write): the CPU recognises it at the next instruction boundary, not later.
    /// </summary>
    public Action? Raised { get; set; }

    /// <summary>The INTA cycle: moves the vector from IRR to ISR.</summary>
    public int Acknowledge()
    {
        int v = Pending();
        if (v < 0)
        {
            return (int)(_svr & 0xFF); // the interrupt went away: the spurious vector, ISR untouched
        }
        Clear(_irr, v);
        Set(_isr, v);
        Recompute();
        return v;
    }

    private uint Ppr
    {
        get
        {
            int isr = Highest(_isr);
            uint isrClass = isr < 0 ? 0u : (uint)isr & 0xF0;
            return (_tpr & 0xF0) >= isrClass ? _tpr & 0xFF : isrClass;
        }
    }

    private static void Set(uint[] bits, int v) => bits[v >> 5] |= 1u << (v & 31);

    private static void Clear(uint[] bits, int v) => bits[v >> 5] &= ~(1u << (v & 31));

    private static int Highest(uint[] bits)
    {
        for (int i = 7; i >= 0; i--)
        {
            if (bits[i] != 0)
            {
                return i * 32 + 31 - System.Numerics.BitOperations.LeadingZeroCount(bits[i]);
            }
        }
        return -1;
    }

    private void Eoi()
    {
        int v = Highest(_isr);
        if (v < 0)
        {
            return;
        }
        Clear(_isr, v);
        if ((_tmr[v >> 5] & (1u << (v & 31))) != 0)
        {
            LevelEoi?.Invoke(v);
        }
        Recompute();
    }

    // ---- the timer -------------------------------------------------------------------------

    private uint DivideValue => ((_divide & 3) | ((_divide >> 1) & 4)) switch
    {
        0 => 2,
        1 => 4,
        2 => 8,
        3 => 16,
        4 => 32,
        5 => 64,
        6 => 128,
        _ => 1,
    };

    /// <summary>The current count: the initial count less the elapsed guest ticks over the divide value (periodic counts wrap).</summary>
    public uint CurrentCount
    {
        get
        {
            if (_initialCount == 0)
            {
                return 0;
            }
            ulong elapsed = (_clock.Now - _timerStart) / DivideValue;
            if ((_lvtTimer & LvtPeriodic) != 0)
            {
                return (uint)(_initialCount - elapsed % _initialCount);
            }
            return elapsed >= _initialCount ? 0 : (uint)(_initialCount - elapsed);
        }
    }

    private void StartTimer()
    {
        _timerEvent?.Cancel();
        _timerEvent = null;
        _timerStart = _clock.Now;
        if (_initialCount != 0)
        {
            ScheduleExpiry(_timerStart + (ulong)_initialCount * DivideValue);
        }
    }

    private void ScheduleExpiry(ulong due) => _timerEvent = _clock.Schedule(due, this, 0, due, () => Expire(due));

    private void Expire(ulong due)
    {
        _timerEvent = null;
        if ((_lvtTimer & LvtMasked) == 0)
        {
            Accept((int)(_lvtTimer & 0xFF), level: false);
        }
        if ((_lvtTimer & LvtPeriodic) != 0 && _initialCount != 0)
        {
            _timerStart = due;
            ScheduleExpiry(due + (ulong)_initialCount * DivideValue);
        }
    }

    // ---- registers -------------------------------------------------------------------------

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        uint reg = offset & 0xFF0;
        uint v = reg switch
        {
            0x020 => _id,
            0x030 => 0x0005_0014,             // version 0x14, six LVT entries (max LVT 5)
            0x080 => _tpr,
            0x090 => 0,                       // APR
            0x0A0 => Ppr,
            0x0D0 => _ldr,
            0x0E0 => _dfr,
            0x0F0 => _svr,
            >= 0x100 and < 0x180 => _isr[(reg - 0x100) >> 4],
            >= 0x180 and < 0x200 => _tmr[(reg - 0x180) >> 4],
            >= 0x200 and < 0x280 => _irr[(reg - 0x200) >> 4],
            0x280 => _esr,
            0x300 => _icrLow & ~(1u << 12),   // delivery status: always idle
            0x310 => _icrHigh,
            0x320 => _lvtTimer,
            0x350 => _lvtLint0,
            0x360 => _lvtLint1,
            0x370 => _lvtError,
            0x380 => _initialCount,
            0x390 => CurrentCount,
            0x3E0 => _divide,
            _ => 0,
        };
        return (offset & 0xF) == 0 ? v : v >> (int)(8 * (offset & 3));
    }

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        uint reg = offset & 0xFF0;
        switch (reg)
        {
            case 0x020: _id = value & 0xFF00_0000; break;
            case 0x080: _tpr = value & 0xFF; Recompute(); break;
            case 0x0B0: Eoi(); break;
            case 0x0D0: _ldr = value & 0xFF00_0000; break;
            case 0x0E0: _dfr = value | 0x0FFF_FFFF; break;
            case 0x0F0:
                _svr = value & 0x3FF;
                if (!SoftwareEnabled)
                {
                    // Software-disabled: every LVT entry is masked (SDM 10.4.7.2).
                    _lvtTimer |= LvtMasked;
                    _lvtLint0 |= LvtMasked;
                    _lvtLint1 |= LvtMasked;
                    _lvtError |= LvtMasked;
                }
                Recompute();
                break;
            case 0x280: _esr = _esrPending; _esrPending = 0; break; // a write latches the errors seen since
            case 0x300: _icrLow = value; SendIpi(); break;
            case 0x310: _icrHigh = value & 0xFF00_0000; break;
            case 0x320: _lvtTimer = Lvt(value) & 0x3_10FF; break;
            case 0x350: _lvtLint0 = Lvt(value) & 0x1_A7FF; break;
            case 0x360: _lvtLint1 = Lvt(value) & 0x1_A7FF; break;
            case 0x370: _lvtError = Lvt(value) & 0x1_00FF; break;
            case 0x380: _initialCount = value; StartTimer(); break;
            case 0x3E0: _divide = value & 0xB; break;
        }
    }

    /// <summary>While software-disabled the mask bits stay set.</summary>
    private uint Lvt(uint v) => SoftwareEnabled ? v : v | LvtMasked;

    /// <summary>ICR: fixed interrupts to this CPU (the self shorthand, or a destination naming it, or all including self); others go nowhere.</summary>
    private void SendIpi()
    {
        int vector = (int)(_icrLow & 0xFF);
        uint mode = (_icrLow >> 8) & 7;
        if (mode == 5 && (_icrLow & IcrLevelAssert) == 0 && (_icrLow & IcrTriggerLevel) != 0)
        {
            // INIT level de-assert (SDM vol. 3A 10.6.1): the P6 family's arbitration-ID
            // synchronisation, sent to every processor whatever the destination says. An xAPIC
            // (Pentium 4 and later) does not support it and does nothing; MP start-up code
            // (xv6's lapicinit, Linux's smpboot) still sends it.
            return;
        }
        uint shorthand = (_icrLow >> 18) & 3;
        bool toSelf = shorthand switch
        {
            1 => true,                                              // self
            2 => true,                                              // all including self
            3 => false,                                             // all excluding self: there are no others
            _ => (_icrLow & (1u << 11)) == 0 ? (_icrHigh >> 24) == (_id >> 24) || (_icrHigh >> 24) == 0xFF : false,
        };
        if (toSelf)
        {
            switch (mode)
            {
                case 0 or 1: // fixed, lowest priority (this is the only processor)
                    Accept(vector, level: false);
                    break;
                case 4:
                    AcceptNmi();
                    break;
                case 2:
                    throw new MachineStopException(StopReason.Unimplemented, "not implemented: SMI (system management mode) through the local APIC's ICR");
                case 5:
                    throw new MachineStopException(StopReason.Unimplemented, "not implemented: INIT of the bootstrap processor through the local APIC's ICR");
                    // SIPI: ignored by a processor that is not waiting for one.
            }
        }
        // To other processors: there are none; the send completes.
    }
}
