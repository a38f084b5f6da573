using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// The ACPI fixed-hardware registers the FADT describes: PM1a event block (status and enable),
/// PM1a control block (SCI_EN reads set; SLP_TYP with SLP_EN requests a sleep state, and the
/// \_S5 type powers off), and the 24-bit PM timer at 3.579545 MHz of guest time.
/// </summary>
public sealed partial class AcpiPm : IPortDevice
{
    /// <summary>PM1a_EVT_BLK (4 bytes at 0x600): PM1 status (2 bytes, write 1 to clear), then PM1 enable.</summary>
    public const ushort Pm1aEventBlock = 0x600;

    /// <summary>PM1a_CNT_BLK (2 bytes at 0x604): SCI_EN (bit 0), SLP_TYP (bits 10-12), SLP_EN (bit 13).</summary>
    public const ushort Pm1aControlBlock = 0x604;

    /// <summary>PM_TMR_BLK (4 bytes at 0x608): the 24-bit PM timer, read-only.</summary>
    public const ushort PmTimerBlock = 0x608;

    /// <summary>The ISA IRQ of the SCI, as the FADT's SCI_INT says (9, as on QEMU's PIIX4 PM).</summary>
    public const int SciIrq = 9;
    private const ulong TimerHz = 3_579_545;

    private readonly VirtualClock _clock;
    private readonly Action _powerOff;
    private ushort _status, _enable;
    private ushort _control = 0x0001; // SCI_EN: ACPI mode (there is no SMI command to switch)

    /// <summary>The registers, with the PM timer running on <paramref name="clock"/>; <paramref name="powerOff"/> is called when the guest enters \_S5.</summary>
    public AcpiPm(VirtualClock clock, Action powerOff)
    {
        _clock = clock;
        _powerOff = powerOff;
    }

    /// <summary>Registers the three blocks on <paramref name="bus"/> at their fixed ports.</summary>
    public void Attach(IoBus bus)
    {
        bus.Register(Pm1aEventBlock, 4, this);
        bus.Register(Pm1aControlBlock, 2, this);
        bus.Register(PmTimerBlock, 4, this);
    }

    /// <summary>The PM timer: guest time in 3.579545 MHz ticks, 24 bits.</summary>
    public uint Timer => (uint)((UInt128)_clock.Now * TimerHz / _clock.TicksPerSecond) & 0xFF_FFFF;

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        uint v = port switch
        {
            >= PmTimerBlock => Timer >> (8 * (port - PmTimerBlock)),
            >= Pm1aControlBlock => (uint)_control >> (8 * (port - Pm1aControlBlock)),
            >= Pm1aEventBlock + 2 => (uint)_enable >> (8 * (port - Pm1aEventBlock - 2)),
            _ => ((uint)_status | ((uint)_enable << 16)) >> (8 * (port - Pm1aEventBlock)),
        };
        return size == 4 ? v : v & ((1u << (8 * size)) - 1);
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        if (port >= PmTimerBlock)
        {
            return; // read-only
        }
        if (port >= Pm1aControlBlock)
        {
            uint c = _control;
            uint v = port == Pm1aControlBlock && size >= 2 ? value & 0xFFFF
                : port == Pm1aControlBlock ? (c & 0xFF00) | (value & 0xFF)
                : (c & 0x00FF) | ((value & 0xFF) << 8);
            _control = (ushort)((v & ~0x2000) | 0x0001); // SLP_EN is write-only; SCI_EN stays set
            if ((v & 0x2000) != 0 && ((v >> 10) & 7) == AcpiTables.SoftOffType)
            {
                _powerOff();
            }
            return;
        }
        if (port == Pm1aEventBlock && size == 4)
        {
            _status &= (ushort)~value;          // status bits clear when written with ones
            _enable = (ushort)(value >> 16);
        }
        else if (port < Pm1aEventBlock + 2)
        {
            _status &= (ushort)~(value << (8 * (port - Pm1aEventBlock)));
        }
        else
        {
            _enable = size >= 2 ? (ushort)value : (ushort)(value & 0xFF);
        }
    }
}
