using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Rtc;

/// <summary>
/// The Motorola MC146818 real-time clock and its CMOS RAM at ports 0x70 (index, bit 7 masks
/// NMI) and 0x71 (data). Time runs on guest time from a configurable start, so runs are
/// deterministic; BCD or binary, 12- or 24-hour, the update-in-progress window, and the
/// periodic, alarm and update-ended interrupts on IRQ8 follow the datasheet.
/// </summary>
public sealed partial class Mc146818Rtc : IPortDevice
{
    /// <summary>The default start of guest time: 2026-01-01 00:00:00 UTC.</summary>
    public static readonly DateTime DefaultStart = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private const long NsPerSecond = 1_000_000_000;
    private const long UipWindowNs = 244_000; // UIP is high for 244 µs before each update
    private const byte RegA = 0x0A, RegB = 0x0B, RegC = 0x0C, RegD = 0x0D;
    private const byte BSet = 0x80, BPie = 0x40, BAie = 0x20, BUie = 0x10, BBinary = 0x04, B24Hour = 0x02;
    private const byte CIrqf = 0x80, CPf = 0x40, CAf = 0x20, CUf = 0x10;

    private readonly VirtualClock _clock;
    private readonly IInterruptLine _irq;
    private readonly byte[] _cmos = new byte[128];
    private long _offsetNs;            // Unix time in ns = guest ns + offset
    private RtcFields _frozen;         // the registers shown while SET is on or the divider is stopped, kept raw
    private byte _index;
    private ScheduledEvent? _periodicEvent, _secondEvent;
    private long _lastCheckNs;         // guest ns of the last flag evaluation

    /// <summary>Creates the clock showing <paramref name="start"/> at guest time zero.</summary>
    public Mc146818Rtc(VirtualClock clock, IInterruptLine irq8, DateTime start)
    {
        _clock = clock;
        clock.RegisterOwner(this);
        _irq = irq8;
        _offsetNs = (long)(start.ToUniversalTime() - DateTime.UnixEpoch).Ticks * 100;
        _cmos[RegA] = 0x26; // divider running (010), 1024 Hz periodic rate
        _cmos[RegB] = B24Hour;
        _cmos[RegD] = 0x80; // valid RAM and time
        _cmos[0x32] = ToBcd(start.Year / 100);
    }

    /// <summary>Whether NMI is masked (port 0x70 bit 7).</summary>
    public bool NmiMasked { get; private set; }

    /// <summary>Registers ports 0x70-0x71.</summary>
    public void Attach(IoBus bus) => bus.Register(0x70, 2, this);

    /// <summary>Writes a CMOS byte as a BIOS would before boot (no side effects).</summary>
    public void SetCmos(int index, byte value) => _cmos[index] = value;

    /// <summary>Stores the standard checksum of bytes 0x10-0x2D at 0x2E (high) and 0x2F (low).</summary>
    public void UpdateChecksum()
    {
        int sum = 0;
        for (int i = 0x10; i <= 0x2D; i++)
        {
            sum += _cmos[i];
        }
        _cmos[0x2E] = (byte)(sum >> 8);
        _cmos[0x2F] = (byte)sum;
    }

    private long GuestNs => (long)_clock.NowNanoseconds;

    private bool Running => (_cmos[RegB] & BSet) == 0 && (_cmos[RegA] & 0x70) == 0x20;

    /// <summary>The time the clock shows now (while stopped, the stored registers made into a valid date).</summary>
    public DateTime Now => Running ? RunningTime : _frozen.ToDateTime();

    private DateTime RunningTime => DateTime.UnixEpoch.AddTicks((GuestNs + _offsetNs) / 100 / 10_000_000 * 10_000_000);

    private RtcFields Fields => Running ? RtcFields.From(RunningTime) : _frozen;

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        if (port == 0x70)
        {
            return 0xFF; // the index register is write-only on a PC
        }
        return ReadRegister(_index);
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        if (port == 0x70)
        {
            _index = (byte)(value & 0x7F);
            NmiMasked = (value & 0x80) != 0;
            return;
        }
        WriteRegister(_index, (byte)value);
    }

    private byte ReadRegister(int r)
    {
        switch (r)
        {
            case <= 9:
                return TimeRegister(r, Fields);
            case RegA:
            {
                bool uip = Running && (GuestNs + _offsetNs) % NsPerSecond >= NsPerSecond - UipWindowNs;
                return (byte)((_cmos[RegA] & 0x7F) | (uip ? 0x80 : 0));
            }
            case RegC:
            {
                EvaluateFlags();
                byte v = _cmos[RegC];
                _cmos[RegC] = 0;
                _irq.Set(false);
                return v;
            }
            default:
                return _cmos[r];
        }
    }

    private void WriteRegister(int r, byte v)
    {
        switch (r)
        {
            case 1:
            case 3:
            case 5:
                _cmos[r] = v; // alarm registers are stored as written
                break;
            case <= 9:
            {
                // Registers are stored raw, as the chip does; a date is only formed when the clock runs.
                RtcFields f = WithTimeRegister(Fields, r, v);
                if (Running)
                {
                    SetTime(f.ToDateTime());
                }
                else
                {
                    _frozen = f;
                }
                break;
            }
            case RegA:
            {
                bool wasRunning = Running;
                RtcFields t = Fields;
                _cmos[RegA] = (byte)(v & 0x7F);
                TransitionRunning(wasRunning, t);
                Reschedule();
                break;
            }
            case RegB:
            {
                bool wasRunning = Running;
                RtcFields t = Fields;
                _cmos[RegB] = (byte)(v & (BSet | BPie | BAie | BUie | 0x08 | BBinary | B24Hour | 0x01));
                if ((v & BSet) != 0)
                {
                    _cmos[RegB] &= unchecked((byte)~BUie); // setting SET clears UIE
                }
                TransitionRunning(wasRunning, t);
                UpdateIrq();
                Reschedule();
                break;
            }
            case RegC:
            case RegD:
                break; // read-only
            default:
                _cmos[r] = v;
                break;
        }
    }

    private void TransitionRunning(bool wasRunning, RtcFields shown)
    {
        if (wasRunning && !Running)
        {
            _frozen = shown;
        }
        else if (!wasRunning && Running)
        {
            SetTime(_frozen.ToDateTime()); // the divider restarts: the next update is one second away
        }
    }

    private void SetTime(DateTime t)
    {
        _offsetNs = (t - DateTime.UnixEpoch).Ticks * 100 - GuestNs;
    }

    private byte Encode(int value) => (_cmos[RegB] & BBinary) != 0 ? (byte)value : ToBcd(value);

    private int Decode(byte v) => (_cmos[RegB] & BBinary) != 0 ? v : FromBcd(v);

    private byte TimeRegister(int r, RtcFields t)
    {
        switch (r)
        {
            case 0: return Encode(t.Second);
            case 2: return Encode(t.Minute);
            case 4:
            {
                if ((_cmos[RegB] & B24Hour) != 0)
                {
                    return Encode(t.Hour);
                }
                int h = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
                return (byte)(Encode(h) | (t.Hour >= 12 ? 0x80 : 0));
            }
            case 6: return Encode(t.Weekday);
            case 7: return Encode(t.Day);
            case 8: return Encode(t.Month);
            case 9: return Encode(t.Year % 100);
            default: return _cmos[r]; // alarms
        }
    }

    private RtcFields WithTimeRegister(RtcFields t, int r, byte v)
    {
        switch (r)
        {
            case 0: return t with { Second = Decode(v) };
            case 2: return t with { Minute = Decode(v) };
            case 4:
                if ((_cmos[RegB] & B24Hour) != 0)
                {
                    return t with { Hour = Decode(v) };
                }
                return t with { Hour = Decode((byte)(v & 0x7F)) % 12 + ((v & 0x80) != 0 ? 12 : 0) };
            case 6: return t with { Weekday = Decode(v) };
            case 7: return t with { Day = Decode(v) };
            case 8: return t with { Month = Decode(v) };
            default: return t with { Year = FromBcd(_cmos[0x32]) * 100 + Decode(v) };
        }
    }

    /// <summary>The periodic interrupt period (0 = off): 32768 Hz divided by 2^(RS-1); RS 1 and 2 give 256 and 128 Hz.</summary>
    private long PeriodNs
    {
        get
        {
            int rs = _cmos[RegA] & 0x0F;
            if (rs == 0)
            {
                return 0;
            }
            int hz = rs switch { 1 => 256, 2 => 128, _ => 32768 >> (rs - 1) };
            return NsPerSecond / hz;
        }
    }

    /// <summary>Sets the flags for every period, update and alarm that passed since the last look.</summary>
    private void EvaluateFlags()
    {
        long now = GuestNs;
        long period = PeriodNs;
        if (period > 0 && now / period > _lastCheckNs / period)
        {
            _cmos[RegC] |= CPf;
        }
        if (Running)
        {
            long wallNow = now + _offsetNs, wallLast = _lastCheckNs + _offsetNs;
            if (wallNow / NsPerSecond > wallLast / NsPerSecond)
            {
                _cmos[RegC] |= CUf;
                if (AlarmMatches(Now))
                {
                    _cmos[RegC] |= CAf;
                }
            }
        }
        _lastCheckNs = now;
        UpdateIrq();
    }

    private bool AlarmMatches(DateTime t)
    {
        static bool Match(byte alarm, byte current) => (alarm & 0xC0) == 0xC0 || alarm == current;
        RtcFields f = RtcFields.From(t);
        return Match(_cmos[1], TimeRegister(0, f)) && Match(_cmos[3], TimeRegister(2, f)) && Match(_cmos[5], TimeRegister(4, f));
    }

    private void UpdateIrq()
    {
        byte b = _cmos[RegB];
        byte c = _cmos[RegC];
        bool on = ((c & CPf) != 0 && (b & BPie) != 0) || ((c & CAf) != 0 && (b & BAie) != 0) || ((c & CUf) != 0 && (b & BUie) != 0);
        if (on)
        {
            _cmos[RegC] |= CIrqf;
            _irq.Set(true);
        }
    }

    /// <summary>Schedules the events that raise enabled interrupts: periods (PIE) and second boundaries (UIE, AIE).</summary>
    private void Reschedule()
    {
        _periodicEvent?.Cancel();
        _periodicEvent = null;
        _secondEvent?.Cancel();
        _secondEvent = null;
        long now = GuestNs;
        long period = PeriodNs;
        if ((_cmos[RegB] & BPie) != 0 && period > 0)
        {
            long next = (now / period + 1) * period;
            _periodicEvent = _clock.Schedule(TickAt(next), this, PeriodicEvent, 0, OnEvent);
        }
        if ((_cmos[RegB] & (BUie | BAie)) != 0 && Running)
        {
            long wall = now + _offsetNs;
            long next = (wall / NsPerSecond + 1) * NsPerSecond - _offsetNs;
            _secondEvent = _clock.Schedule(TickAt(next), this, SecondEvent, 0, OnEvent);
        }
    }

    private void OnEvent()
    {
        EvaluateFlags();
        Reschedule();
    }

    private ulong TickAt(long guestNs)
    {
        ulong t = (ulong)(((UInt128)(ulong)guestNs * _clock.TicksPerSecond + NsPerSecond - 1) / NsPerSecond);
        return Math.Max(t, _clock.Now + 1);
    }

    private static byte ToBcd(int v) => (byte)(((v / 10) << 4) | (v % 10));

    private static int FromBcd(byte v) => (v >> 4) * 10 + (v & 0xF);
}
