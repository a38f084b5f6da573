using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Tests.Devices;

/// <summary>The 16550A through its ports, as a driver sees it (register semantics from the NS16550A datasheet).</summary>
public sealed class Uart16550Tests
{
    private const ushort Base = 0x3F8;
    private readonly IoBus _bus = new();
    private readonly MemorySerialSink _sink = new();
    private readonly RecordingLine _irq = new();
    private readonly Uart16550 _uart;

    public Uart16550Tests()
    {
        _uart = new Uart16550(Base, _sink, _irq);
        _bus.Register(Base, 8, _uart);
    }

    private sealed class RecordingLine : IInterruptLine
    {
        public bool Level { get; private set; }

        public void Set(bool level) => Level = level;
    }

    private byte In(int reg) => (byte)_bus.Read((ushort)(Base + reg), 1);

    private void Out(int reg, byte v) => _bus.Write((ushort)(Base + reg), 1, v);

    [Fact]
    public void DivisorLatch_IsBehindDlab_AndScratchHoldsAByte()
    {
        Out(3, 0x80);
        Out(0, 0x01);
        Out(1, 0x02);
        Assert.Equal(0x01, In(0));
        Assert.Equal(0x02, In(1));
        Out(3, 0x03);
        Assert.Equal(0x00, In(1)); // IER, not the latch
        Out(7, 0x5A);
        Assert.Equal(0x5A, In(7));
        Assert.Empty(_sink.ToArray()); // writing the latch transmitted nothing
    }

    [Fact]
    public void Transmit_GoesToTheSink_AndTheHoldingRegisterIsEmptyAgain()
    {
        Out(0, (byte)'h');
        Out(0, (byte)'i');
        Assert.Equal("hi", _sink.Text);
        Assert.Equal(0x60, In(5) & 0x61); // THRE and TEMT, no data ready
    }

    [Fact]
    public void Iir_ReportsNoInterrupt_ThenThre_ClearedByReadingIir()
    {
        Assert.Equal(0x01, In(2));
        Out(4, 0x08);  // OUT2: the PC's IRQ gate
        Out(1, 0x02);  // enable THRE
        Assert.True(_irq.Level);
        Assert.Equal(0x02, In(2));
        Assert.False(_irq.Level);
        Assert.Equal(0x01, In(2));
    }

    [Fact]
    public void IrqLine_IsGatedByOut2()
    {
        Out(1, 0x02);
        Assert.False(_irq.Level);
        Out(4, 0x08);
        Assert.True(_irq.Level);
    }

    [Fact]
    public void ReceivedData_HasPriorityOverThre_AndFifoBitsShowInIir()
    {
        Out(2, 0x01);  // FIFO on
        Out(4, 0x08);
        Out(1, 0x03);  // RX data and THRE
        _uart.Receive("ab"u8);
        _uart.Poll();
        Assert.Equal(0xC4, In(2));
        Assert.Equal(0x01, In(5) & 0x01);
        Assert.Equal((byte)'a', In(0));
        Assert.Equal((byte)'b', In(0));
        Assert.Equal(0x00, In(5) & 0x01);
        Assert.Equal(0xC2, In(2)); // now THRE
    }

    [Fact]
    public void Loopback_ReturnsTransmittedBytes_AndModemLines()
    {
        Out(4, 0x10 | 0x01); // loop, DTR
        Out(0, 0x42);
        Assert.Empty(_sink.ToArray());
        Assert.Equal(0x01, In(5) & 0x01);
        Assert.Equal(0x42, In(0));
        byte msr = In(6);
        Assert.Equal(0x20, msr & 0xF0);  // DSR follows DTR
        Assert.Equal(0x02, msr & 0x0F);  // delta DSR
        Assert.Equal(0x00, In(6) & 0x0F); // deltas clear on read
    }

    [Fact]
    public void Overrun_IsReportedOnceInLsr()
    {
        Out(4, 0x10);        // loop, FIFO off: a one-byte holding register
        Out(0, 1);
        Out(0, 2);           // overruns
        Assert.Equal(0x02, In(5) & 0x02);
        Assert.Equal(0x00, In(5) & 0x02);
    }
}
