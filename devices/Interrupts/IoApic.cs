using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>
/// An 82093AA-style I/O APIC (MMIO at 0xFEC00000: IOREGSEL at 0x00, IOWIN at 0x10) with 24
/// redirection entries: vector, fixed/lowest-priority/NMI/ExtINT delivery (SMI and INIT stop the
/// run as not implemented), edge or level trigger,
/// polarity, mask, remote IRR cleared by the local APIC's EOI, and the destination. Everything
/// is delivered to the one local APIC.
/// </summary>
public sealed partial class IoApic : IMmioDevice
{
    /// <summary>The I/O APIC's MMIO base, as the MP table and the MADT give it.</summary>
    public const uint DefaultBase = 0xFEC0_0000;

    /// <summary>Its input pins and redirection entries (INTIN0-23).</summary>
    public const int Pins = 24;
    private const ulong Masked = 1ul << 16, Level = 1ul << 15, RemoteIrr = 1ul << 14, ActiveLow = 1ul << 13;

    private readonly LocalApic _lapic;
    private readonly ulong[] _redirection = new ulong[Pins];
    private readonly bool[] _pin = new bool[Pins];
    private uint _select, _id = 0x0100_0000;

    /// <summary>An I/O APIC delivering to <paramref name="lapic"/>, every redirection entry masked, as after reset.</summary>
    public IoApic(LocalApic lapic)
    {
        _lapic = lapic;
        for (int i = 0; i < Pins; i++)
        {
            _redirection[i] = Masked;
        }
        lapic.LevelEoi = Eoi;
    }

    /// <summary>An ExtINT delivery: the CPU should take the 8259's vector.</summary>
    public Action? ExtInt { get; set; }

    /// <summary>The level of input pin <paramref name="pin"/> (as the wire carries it, before the polarity).</summary>
    public void SetPin(int pin, bool level)
    {
        bool was = _pin[pin];
        _pin[pin] = level;
        ulong e = _redirection[pin];
        bool asserted = level != ((e & ActiveLow) != 0);
        if ((e & Level) != 0)
        {
            if (asserted)
            {
                Deliver(pin);
            }
        }
        else if (asserted && was != level)
        {
            Deliver(pin); // edge: the transition to asserted
        }
    }

    private bool Asserted(int pin) => _pin[pin] != ((_redirection[pin] & ActiveLow) != 0);

    private void Deliver(int pin)
    {
        ulong e = _redirection[pin];
        if ((e & Masked) != 0)
        {
            return;
        }
        uint mode = (uint)(e >> 8) & 7;
        if (mode is 0 or 1)
        {
            bool level = (e & Level) != 0;
            if (level)
            {
                if ((e & RemoteIrr) != 0)
                {
                    return; // still being serviced
                }
                _redirection[pin] = e | RemoteIrr;
            }
            _lapic.Accept((int)(e & 0xFF), level);
        }
        else if (mode == 7)
        {
            ExtInt?.Invoke(); // the 8259 supplies the vector (Linux's fallback timer path)
        }
        else if (mode == 4)
        {
            _lapic.AcceptNmi(); // NMI: edge-triggered whatever the entry says, the vector is ignored
        }
        else if (mode == 2)
        {
            throw new MachineStopException(StopReason.Unimplemented, $"not implemented: SMI (system management mode) delivered by I/O APIC pin {pin}");
        }
        else if (mode == 5)
        {
            throw new MachineStopException(StopReason.Unimplemented, $"not implemented: INIT of the processor delivered by I/O APIC pin {pin}");
        }
    }

    /// <summary>The local APIC's EOI of a level-triggered vector: clears remote IRR and re-delivers a still-asserted pin.</summary>
    private void Eoi(int vector)
    {
        for (int i = 0; i < Pins; i++)
        {
            if ((_redirection[i] & 0xFF) == (ulong)vector && (_redirection[i] & RemoteIrr) != 0)
            {
                _redirection[i] &= ~RemoteIrr;
                if (Asserted(i) && (_redirection[i] & Level) != 0)
                {
                    Deliver(i);
                }
            }
        }
    }

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        if ((offset & 0xF0) == 0x00)
        {
            return _select;
        }
        if ((offset & 0xF0) != 0x10)
        {
            return 0;
        }
        return _select switch
        {
            0x00 => _id,
            0x01 => ((uint)(Pins - 1) << 16) | 0x11,  // 24 entries, version 0x11
            0x02 => _id,                              // arbitration ID
            >= 0x10 and < 0x10 + 2 * Pins => (_select & 1) == 0
                ? (uint)_redirection[(_select - 0x10) / 2]
                : (uint)(_redirection[(_select - 0x10) / 2] >> 32),
            _ => 0,
        };
    }

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        if ((offset & 0xF0) == 0x00)
        {
            _select = value & 0xFF;
            return;
        }
        if ((offset & 0xF0) != 0x10)
        {
            return;
        }
        if (_select == 0x00)
        {
            _id = value & 0x0F00_0000;
        }
        else if (_select is >= 0x10 and < 0x10 + 2 * Pins)
        {
            int pin = (int)(_select - 0x10) / 2;
            ulong e = _redirection[pin];
            const ulong readOnly = RemoteIrr | (1ul << 12); // remote IRR and delivery status
            e = (_select & 1) == 0
                ? (e & 0xFFFF_FFFF_0000_0000ul) | (value & ~readOnly & 0xFFFF_FFFF) | (e & readOnly)
                : (e & 0x0000_0000_FFFF_FFFFul) | ((ulong)(value & 0xFF00_0000) << 32);
            _redirection[pin] = e;
            if ((e & Masked) == 0 && (e & Level) != 0 && Asserted(pin))
            {
                Deliver(pin); // unmasking a level-triggered pin that is asserted delivers it
            }
        }
    }
}
