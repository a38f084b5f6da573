using System.Collections.Concurrent;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Serial;

/// <summary>
/// A 16550A UART (National Semiconductor datasheet): divisor latch, 16-byte FIFOs, the
/// interrupt identification priorities, line and modem status, scratch register and loopback.
/// Transmission is instantaneous (THR is always empty again by the next read of LSR), which no
/// driver can tell from a fast line. The IRQ output is gated by MCR.OUT2, as on a PC.
/// </summary>
public sealed partial class Uart16550 : IPortDevice
{
    private const int FifoSize = 16;

    // Register bits.
    private const byte IerRxData = 0x01, IerThre = 0x02, IerLineStatus = 0x04, IerModemStatus = 0x08;
    private const byte LsrDataReady = 0x01, LsrOverrun = 0x02, LsrThre = 0x20, LsrTemt = 0x40;
    private const byte McrDtr = 0x01, McrRts = 0x02, McrOut1 = 0x04, McrOut2 = 0x08, McrLoop = 0x10;
    private const byte LcrDlab = 0x80;

    private readonly ushort _base;
    private readonly ISerialSink _sink;
    private readonly IInterruptLine _irq;
    private readonly Queue<byte> _rxFifo = new();
    private readonly ConcurrentQueue<byte> _hostInput = new();

    private byte _ier, _lcr = 0x03, _mcr, _lsrErrors, _msrDelta, _scr;
    private ushort _divisor = 12; // 9600 baud at 1.8432 MHz
    private bool _threInterruptPending;
    private bool _fifoEnabled;

    /// <summary>Creates a UART at <paramref name="basePort"/> (8 ports) with its IRQ line.</summary>
    public Uart16550(ushort basePort, ISerialSink sink, IInterruptLine irq)
    {
        _base = basePort;
        _sink = sink;
        _irq = irq;
    }

    /// <summary>Queues bytes as if they arrived on the line (host keyboard, test input). Thread-safe.</summary>
    public void Receive(ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            _hostInput.Enqueue(b);
        }
    }

    /// <summary>Moves host input into the receive FIFO; called by the board at event boundaries.</summary>
    public void Poll()
    {
        bool any = false;
        while (_rxFifo.Count < (_fifoEnabled ? FifoSize : 1) && _hostInput.TryDequeue(out byte b))
        {
            _rxFifo.Enqueue(b);
            any = true;
        }
        if (any)
        {
            UpdateIrq();
        }
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        int reg = port - _base;
        byte v = reg switch
        {
            0 => (_lcr & LcrDlab) != 0 ? (byte)_divisor : ReadRbr(),
            1 => (_lcr & LcrDlab) != 0 ? (byte)(_divisor >> 8) : _ier,
            2 => ReadIir(),
            3 => _lcr,
            4 => _mcr,
            5 => ReadLsr(),
            6 => ReadMsr(),
            _ => _scr,
        };
        return v;
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        int reg = port - _base;
        byte v = (byte)value;
        switch (reg)
        {
            case 0:
                if ((_lcr & LcrDlab) != 0)
                {
                    _divisor = (ushort)((_divisor & 0xFF00) | v);
                }
                else
                {
                    Transmit(v);
                }
                break;
            case 1:
                if ((_lcr & LcrDlab) != 0)
                {
                    _divisor = (ushort)((_divisor & 0x00FF) | (v << 8));
                }
                else
                {
                    byte old = _ier;
                    _ier = (byte)(v & 0x0F);
                    // Enabling THRE while the holding register is empty raises the interrupt at once.
                    if ((_ier & IerThre) != 0 && (old & IerThre) == 0)
                    {
                        _threInterruptPending = true;
                    }
                    UpdateIrq();
                }
                break;
            case 2:
                WriteFcr(v);
                break;
            case 3:
                _lcr = v;
                break;
            case 4:
            {
                byte old = _mcr;
                _mcr = (byte)(v & 0x1F);
                if ((_mcr & McrLoop) != 0)
                {
                    // Loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD; record the deltas.
                    byte oldMsr = LoopbackMsr(old), newMsr = LoopbackMsr(_mcr);
                    byte changed = (byte)((oldMsr ^ newMsr) >> 4);
                    _msrDelta |= (byte)(changed & 0x0B);
                    if ((oldMsr & 0x40) != 0 && (newMsr & 0x40) == 0)
                    {
                        _msrDelta |= 0x04; // TERI: trailing edge of RI
                    }
                }
                UpdateIrq();
                break;
            }
            case 7:
                _scr = v;
                break;
        }
    }

    private static byte LoopbackMsr(byte mcr)
    {
        byte m = 0;
        if ((mcr & McrDtr) != 0) m |= 0x20;  // DSR
        if ((mcr & McrRts) != 0) m |= 0x10;  // CTS
        if ((mcr & McrOut1) != 0) m |= 0x40; // RI
        if ((mcr & McrOut2) != 0) m |= 0x80; // DCD
        return m;
    }

    private void Transmit(byte b)
    {
        if ((_mcr & McrLoop) != 0)
        {
            if (_rxFifo.Count >= (_fifoEnabled ? FifoSize : 1))
            {
                _lsrErrors |= LsrOverrun;
            }
            else
            {
                _rxFifo.Enqueue(b);
            }
        }
        else
        {
            _sink.Write(b);
        }
        // The byte leaves at once, so THR is empty again: THRE interrupt (if enabled) is pending.
        _threInterruptPending = true;
        UpdateIrq();
    }

    private byte ReadRbr()
    {
        byte v = _rxFifo.Count > 0 ? _rxFifo.Dequeue() : (byte)0;
        Poll();
        UpdateIrq();
        return v;
    }

    private void WriteFcr(byte v)
    {
        bool enable = (v & 1) != 0;
        if (enable != _fifoEnabled)
        {
            _rxFifo.Clear();
        }
        _fifoEnabled = enable;
        if ((v & 0x02) != 0)
        {
            _rxFifo.Clear();
        }
        UpdateIrq();
    }

    private byte ReadLsr()
    {
        Poll();
        byte v = (byte)(LsrThre | LsrTemt | _lsrErrors);
        if (_rxFifo.Count > 0)
        {
            v |= LsrDataReady;
        }
        _lsrErrors = 0; // error bits clear on read
        UpdateIrq();
        return v;
    }

    private byte ReadMsr()
    {
        byte status = (_mcr & McrLoop) != 0 ? LoopbackMsr(_mcr) : (byte)0xB0; // DCD, DSR, CTS asserted by the "modem"
        byte v = (byte)(status | _msrDelta);
        _msrDelta = 0;
        UpdateIrq();
        return v;
    }

    /// <summary>The highest-priority pending interrupt source, as IIR encodes it (0x01 = none).</summary>
    private byte PendingSource()
    {
        if ((_ier & IerLineStatus) != 0 && (_lsrErrors & LsrOverrun) != 0) return 0x06;
        if ((_ier & IerRxData) != 0 && _rxFifo.Count > 0) return 0x04;
        if ((_ier & IerThre) != 0 && _threInterruptPending) return 0x02;
        if ((_ier & IerModemStatus) != 0 && _msrDelta != 0) return 0x00;
        return 0x01;
    }

    private byte ReadIir()
    {
        byte src = PendingSource();
        if (src == 0x02)
        {
            _threInterruptPending = false; // reading IIR with THRE as the source clears it
        }
        UpdateIrq();
        return (byte)(src | (_fifoEnabled ? 0xC0 : 0));
    }

    private void UpdateIrq() => _irq.Set((_mcr & McrOut2) != 0 && PendingSource() != 0x01);

    /// <summary>Flushes the output sink.</summary>
    public void Flush() => _sink.Flush();
}
