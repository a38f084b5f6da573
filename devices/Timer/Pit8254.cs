using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Timer;

/// <summary>
/// The Intel 8254 programmable interval timer (datasheet 231164) at ports 0x40-0x43: three
/// channels clocked at 1.193182 MHz of guest time, modes 0-5, LSB/MSB/word access, counter
/// latch and read-back commands, BCD counting. Channel 0 drives IRQ0 (its OUT transitions are
/// scheduled on the virtual clock); channel 2's gate and OUT are wired to port 0x61
/// (<see cref="Chipset.SystemControlPortB"/>).
/// </summary>
public sealed partial class Pit8254 : IPortDevice
{
    /// <summary>The PIT input clock in Hz.</summary>
    public const long Frequency = 1_193_182;

    private readonly VirtualClock _clock;
    private readonly IInterruptLine _irq0;
    private readonly PitChannel[] _channels;
    private ScheduledEvent? _irqEvent;
    private readonly Action _reschedule, _lowPulse; // cached so scheduling allocates no delegate

    /// <summary>Creates the timer on <paramref name="clock"/> with channel 0's OUT on <paramref name="irq0"/>.</summary>
    public Pit8254(VirtualClock clock, IInterruptLine irq0)
    {
        _clock = clock;
        clock.RegisterOwner(this);
        _irq0 = irq0;
        _channels = new[] { new PitChannel(this), new PitChannel(this), new PitChannel(this) };
        _channels[0].Gate = true;
        _channels[1].Gate = true;
        _reschedule = RescheduleIrq;
        _lowPulse = LowPulseDue;
    }

    /// <summary>Channel <paramref name="n"/> (0-2).</summary>
    public PitChannel Channel(int n) => _channels[n];

    /// <summary>Guest time in PIT input clocks.</summary>
    internal long Now => (long)((UInt128)_clock.Now * Frequency / _clock.TicksPerSecond);

    /// <summary>Registers ports 0x40-0x43.</summary>
    public void Attach(IoBus bus) => bus.Register(0x40, 4, this);

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        int n = port - 0x40;
        return n < 3 ? _channels[n].ReadPort() : 0xFFu; // the control word register is write-only
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        int n = port - 0x40;
        byte v = (byte)value;
        if (n < 3)
        {
            _channels[n].WritePort(v);
            if (n == 0)
            {
                RescheduleIrq();
            }
            return;
        }
        int sc = v >> 6;
        if (sc == 3)
        {
            ReadBack(v);
            return;
        }
        PitChannel c = _channels[sc];
        if ((v & 0x30) == 0)
        {
            c.LatchCount();
        }
        else
        {
            c.Program((v >> 4) & 3, (v >> 1) & 7, (v & 1) != 0);
            if (sc == 0)
            {
                RescheduleIrq();
            }
        }
    }

    private void ReadBack(byte v)
    {
        for (int i = 0; i < 3; i++)
        {
            if ((v & (2 << i)) == 0)
            {
                continue;
            }
            if ((v & 0x20) == 0)
            {
                _channels[i].LatchCount();
            }
            if ((v & 0x10) == 0)
            {
                _channels[i].LatchStatus();
            }
        }
    }

    /// <summary>Sets channel 2's gate (port 0x61 bit 0).</summary>
    public void SetGate2(bool gate) => _channels[2].SetGate(gate);

    /// <summary>Drives IRQ0 from channel 0's OUT and schedules the next transition.</summary>
    private void RescheduleIrq()
    {
        _irqEvent?.Cancel();
        _irqEvent = null;
        PitChannel c = _channels[0];
        long now = Now;
        bool outNow = c.Out(now);
        _irq0.Set(outNow);
        long next = c.NextTransition(now);
        if (next < 0)
        {
            return;
        }
        // Convert the PIT tick back to a clock tick, rounding up so OUT has changed when the event runs.
        ulong due = (ulong)(((UInt128)(ulong)next * _clock.TicksPerSecond + (ulong)Frequency - 1) / (ulong)Frequency);
        // Modes 2, 4 and 5 drop OUT for a single PIT clock. Events run between CPU blocks and can be
        // later than that clock, so the event for such a fall remembers it must show the pulse.
        Action action = outNow && c.Mode is 2 or 4 or 5 ? _lowPulse : _reschedule;
        _irqEvent = _clock.Schedule(Math.Max(due, _clock.Now + 1), this, ReferenceEquals(action, _lowPulse) ? LowPulseEvent : RescheduleEvent, 0, action);
    }

    /// <summary>The event for a one-clock low pulse: if it already passed, the line still goes low once so the rising edge is seen.</summary>
    private void LowPulseDue()
    {
        if (_channels[0].Out(Now))
        {
            _irq0.Set(false);
        }
        RescheduleIrq();
    }
}
