namespace Minix318Emu.Devices.Timer;

/// <summary>
/// One 8254 counter. The count is not stepped: it is computed from the time the count was
/// loaded, in PIT clocks, for the channel's mode (the datasheet's waveforms).
/// </summary>
public sealed partial class PitChannel
{
    private readonly Pit8254 _pit;
    private int _count = 0x10000;   // the reload value (0 means 65536, or 10000 in BCD)
    private long _loadTime;         // PIT clock at which counting started
    private int _rwMode = 3;        // 1 LSB, 2 MSB, 3 LSB then MSB
    private int _readState, _writeState; // for word access: 0 = next is LSB
    private byte _writeLatch;
    private int _latchedCount;
    private int _latchedBytes;      // bytes of a latched count still to be read
    private int _latchedCountState;
    private byte _status;
    private bool _statusLatched;
    private bool _nullCount = true;
    private bool _counting;
    private bool _bcd;              // BCD counting

    internal PitChannel(Pit8254 pit) => _pit = pit;

    /// <summary>The counter mode (0-5).</summary>
    public int Mode { get; private set; }

    /// <summary>The gate input.</summary>
    public bool Gate { get; internal set; }

    internal void Program(int rw, int mode, bool bcd)
    {
        _rwMode = rw;
        Mode = mode > 5 ? mode - 4 : mode; // modes 6 and 7 are aliases of 2 and 3
        _bcd = bcd;
        _readState = _writeState = 0;
        _nullCount = true;
        _counting = false;
    }

    internal void LatchCount()
    {
        if (_latchedBytes > 0)
        {
            return; // a second latch before the first is read is ignored
        }
        _latchedCount = CurrentCount(_pit.Now);
        _latchedBytes = _rwMode == 3 ? 2 : 1;
        _latchedCountState = 0;
    }

    internal void LatchStatus()
    {
        if (_statusLatched)
        {
            return;
        }
        long now = _pit.Now;
        _status = (byte)((Out(now) ? 0x80 : 0) | (_nullCount ? 0x40 : 0) | (_rwMode << 4) | (Mode << 1) | (_bcd ? 1 : 0));
        _statusLatched = true;
    }

    internal byte ReadPort()
    {
        if (_statusLatched)
        {
            _statusLatched = false;
            return _status;
        }
        int value;
        int part; // 0 = LSB, 1 = MSB
        if (_latchedBytes > 0)
        {
            value = _latchedCount;
            part = _rwMode switch { 1 => 0, 2 => 1, _ => _latchedCountState };
            _latchedCountState ^= 1;
            _latchedBytes--;
        }
        else
        {
            value = CurrentCount(_pit.Now);
            part = _rwMode switch { 1 => 0, 2 => 1, _ => _readState };
            if (_rwMode == 3)
            {
                _readState ^= 1;
            }
        }
        return (byte)(part == 0 ? value : value >> 8);
    }

    internal void WritePort(byte v)
    {
        switch (_rwMode)
        {
            case 1:
                Load(v);
                break;
            case 2:
                Load(v << 8);
                break;
            default:
                if (_writeState == 0)
                {
                    _writeLatch = v;
                    _writeState = 1;
                }
                else
                {
                    _writeState = 0;
                    Load(_writeLatch | (v << 8));
                }
                break;
        }
    }

    private void Load(int raw)
    {
        int value = _bcd ? FromBcd(raw) : raw;
        _count = value == 0 ? (_bcd ? 10000 : 0x10000) : value;
        _loadTime = _pit.Now;
        _nullCount = false;
        _counting = Mode is not (1 or 5); // modes 1 and 5 wait for a gate edge
    }

    internal void SetGate(bool gate)
    {
        long now = _pit.Now;
        if (gate && !Gate && Mode is 1 or 2 or 3 or 5)
        {
            _loadTime = now; // a rising gate edge (re)starts modes 1, 2, 3 and 5
            _counting = true;
        }
        Gate = gate;
    }

    /// <summary>The value a read of the counter returns at PIT clock <paramref name="now"/> (in the programmed number base).</summary>
    public int CurrentCount(long now)
    {
        long d = Elapsed(now);
        int c;
        switch (Mode)
        {
            case 3:
                c = (int)(_count - ((2 * d) % _count));
                break;
            case 2:
                c = (int)(_count - (d % _count));
                break;
            default:
                c = (int)((_count - d) & 0xFFFF);
                break;
        }
        if (c == 0x10000)
        {
            c = 0;
        }
        return _bcd ? ToBcd(c % 10000) : c & 0xFFFF;
    }

    private long Elapsed(long now)
    {
        if (!_counting)
        {
            return 0;
        }
        if (!Gate && Mode is 0 or 2 or 3 or 4)
        {
            return 0; // the gate holds the count (simplified: time under a low gate is not tracked)
        }
        return Math.Max(0, now - _loadTime);
    }

    /// <summary>The OUT line at PIT clock <paramref name="now"/>.</summary>
    public bool Out(long now)
    {
        if (_nullCount)
        {
            return Mode != 0; // before a count is written OUT is high, except in mode 0
        }
        long d = Elapsed(now);
        switch (Mode)
        {
            case 0:
                return d >= _count;
            case 1:
                return !_counting || d >= _count;
            case 2:
                if (!Gate) return true;
                return d % _count != _count - 1;
            case 3:
                if (!Gate) return true;
                return d % _count < (_count + 1) / 2;
            case 4:
            case 5:
                return !_counting || d != _count;
            default:
                return true;
        }
    }

    /// <summary>The next PIT clock after <paramref name="now"/> at which OUT changes, or -1 if it never does.</summary>
    public long NextTransition(long now)
    {
        if (_nullCount || !_counting)
        {
            return -1;
        }
        long d = Elapsed(now);
        long baseTime = _loadTime;
        long next;
        switch (Mode)
        {
            case 0:
            case 1:
                if (d >= _count) return -1;
                next = _count;
                break;
            case 2:
            {
                if (!Gate) return -1;
                long period = d / _count * _count;
                next = d % _count < _count - 1 ? period + _count - 1 : period + _count;
                break;
            }
            case 3:
            {
                if (!Gate) return -1;
                long period = d / _count * _count;
                long half = (_count + 1) / 2;
                next = d % _count < half ? period + half : period + _count;
                break;
            }
            case 4:
            case 5:
                if (d < _count) next = _count;
                else if (d == _count) next = _count + 1;
                else return -1;
                break;
            default:
                return -1;
        }
        return baseTime + next;
    }

    private static int FromBcd(int v) => (v & 0xF) + ((v >> 4) & 0xF) * 10 + ((v >> 8) & 0xF) * 100 + ((v >> 12) & 0xF) * 1000;

    private static int ToBcd(int v) => (v % 10) | ((v / 10 % 10) << 4) | ((v / 100 % 10) << 8) | ((v / 1000 % 10) << 12);
}
