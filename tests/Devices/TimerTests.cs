using Minix318Emu.Devices.Chipset;
using Minix318Emu.Devices.Rtc;
using Minix318Emu.Devices.Timer;
using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Interrupts;

using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>The 8254 and the MC146818 against a clock the test advances (1 tick = 1 ns here).</summary>
public sealed class TimerTests
{
    private ulong _ticks;
    private readonly VirtualClock _clock;

    public TimerTests() => _clock = new VirtualClock(() => _ticks, 1_000_000_000);


    private void Advance(ulong ns)
    {
        ulong target = _ticks + ns;
        while (_clock.NextDue <= target)
        {
            _ticks = Math.Max(_ticks, _clock.NextDue);
            _clock.RunDue();
        }
        _ticks = target;
        _clock.RunDue();
    }

    [Fact]
    public void Pit_Mode2At100Hz_Raises100InterruptsPerSecond()
    {
        var irq = new RecordingLine();
        var pit = new Pit8254(_clock, irq);
        pit.Write(0x43, 1, 0x34);
        pit.Write(0x40, 1, 11932 & 0xFF);
        pit.Write(0x40, 1, 11932 >> 8);
        Advance(1_000_000_000);
        Assert.InRange(irq.Rises, 99, 101);
    }

    [Fact]
    public void Pit_Mode4OneShots_EachNewCountWithoutAModeWriteFiresAgain()
    {
        // Linux's i8253 clockevent in one-shot mode: mode 4 once, then only counts (LSB, MSB).
        var irq = new RecordingLine();
        var pit = new Pit8254(_clock, irq);
        pit.Write(0x43, 1, 0x38);              // OUT goes high with the control word
        int before = irq.Rises;
        for (int i = 1; i <= 3; i++)
        {
            pit.Write(0x40, 1, 1193 & 0xFF);
            pit.Write(0x40, 1, 1193 >> 8);
            Advance(2_000_000);                // 2 ms: past the 1 ms count
            Assert.Equal(before + i, irq.Rises); // the strobe: one clock low, then high again
        }
    }

    [Theory]
    [InlineData(0x38)]   // mode 4: Linux's one-shot clockevent
    [InlineData(0x34)]   // mode 2: the periodic tick
    public void Pit_OneClockLowPulse_IsNotLostWhenTheEventRunsLate(int controlWord)
    {
        // The machine runs its events between CPU blocks, so one can run several PIT clocks
        // after it was due: past the one clock during which OUT is low. The 8259 must still
        // see the rising edge, or a one-shot interrupt is lost for good.
        var irq = new RecordingLine();
        var pit = new Pit8254(_clock, irq);
        pit.Write(0x43, 1, (byte)controlWord);
        pit.Write(0x40, 1, 1193 & 0xFF);
        pit.Write(0x40, 1, 1193 >> 8);
        int before = irq.Rises;
        _ticks = _clock.NextDue + 5_000;       // 5 us late: about six PIT clocks past the low pulse
        _clock.RunDue();
        Assert.Equal(before + 1, irq.Rises);
        Assert.True(irq.Level);
    }

    [Fact]
    public void Pit_LatchedCountDecreases_AndReadBackReportsTheMode()
    {
        var pit = new Pit8254(_clock, new RecordingLine());
        pit.Write(0x43, 1, 0x30);       // channel 0, LSB/MSB, mode 0
        pit.Write(0x40, 1, 0x00);
        pit.Write(0x40, 1, 0x10);       // 4096
        Advance(1_000_000);             // 1 ms = about 1193 PIT clocks
        pit.Write(0x43, 1, 0x00);       // latch
        int lo = (int)pit.Read(0x40, 1), hi = (int)pit.Read(0x40, 1);
        Assert.InRange((hi << 8) | lo, 4096 - 1194, 4096 - 1192);
        pit.Write(0x43, 1, 0xE2);       // read-back status of channel 0
        Assert.Equal(0x30, (int)pit.Read(0x40, 1) & 0x3F); // OUT low, LSB/MSB, mode 0, binary
    }

    [Fact]
    public void Pit_BcdCountsInDecimal()
    {
        var pit = new Pit8254(_clock, new RecordingLine());
        pit.Write(0x43, 1, 0x31);       // mode 0, BCD
        pit.Write(0x40, 1, 0x00);
        pit.Write(0x40, 1, 0x50);       // BCD 5000
        pit.Write(0x43, 1, 0x00);
        Assert.Equal(0x00, (int)pit.Read(0x40, 1));
        Assert.Equal(0x50, (int)pit.Read(0x40, 1));
    }

    [Fact]
    public void Pit_Channel2_IsGatedByPort61_AndItsOutIsVisibleThere()
    {
        var pit = new Pit8254(_clock, new RecordingLine());
        var port61 = new SystemControlPortB(pit, _clock);
        pit.Write(0x43, 1, 0xB0);       // channel 2, mode 0
        pit.Write(0x42, 1, 100);
        pit.Write(0x42, 1, 0);
        Advance(1_000_000);
        Assert.Equal(0, (int)(port61.Read(0x61, 1) & 0x20)); // gate low: not counting
        port61.Write(0x61, 1, 0x01);
        Advance(1_000_000);
        Assert.Equal(0x20, (int)(port61.Read(0x61, 1) & 0x20));
    }

    [Fact]
    public void Port61_RefreshBitToggles()
    {
        var pit = new Pit8254(_clock, new RecordingLine());
        var port61 = new SystemControlPortB(pit, _clock);
        uint a = port61.Read(0x61, 1) & 0x10;
        Advance(15_085);
        uint b = port61.Read(0x61, 1) & 0x10;
        Assert.NotEqual(a, b);
    }

    private static byte Reg(Mc146818Rtc rtc, byte r)
    {
        rtc.Write(0x70, 1, r);
        return (byte)rtc.Read(0x71, 1);
    }

    private static void SetReg(Mc146818Rtc rtc, byte r, byte v)
    {
        rtc.Write(0x70, 1, r);
        rtc.Write(0x71, 1, v);
    }

    [Fact]
    public void Rtc_ShowsTheStartTime_InBcdAndBinary_And12HourMode()
    {
        var rtc = new Mc146818Rtc(_clock, new RecordingLine(), new DateTime(2024, 12, 31, 13, 45, 7, DateTimeKind.Utc));
        Assert.Equal(0x07, Reg(rtc, 0));
        Assert.Equal(0x45, Reg(rtc, 2));
        Assert.Equal(0x13, Reg(rtc, 4));
        Assert.Equal(0x31, Reg(rtc, 7));
        Assert.Equal(0x12, Reg(rtc, 8));
        Assert.Equal(0x24, Reg(rtc, 9));
        Assert.Equal(0x03, Reg(rtc, 6)); // Tuesday
        SetReg(rtc, 0x0B, 0x04);         // binary, 12-hour
        Assert.Equal(45, Reg(rtc, 2));
        Assert.Equal(0x81, Reg(rtc, 4)); // 1 PM
        Advance(11_000_000_000);
        SetReg(rtc, 0x0B, 0x06);
        Assert.Equal(18, Reg(rtc, 0));
    }

    [Fact]
    public void Rtc_UpdateInProgress_IsSetJustBeforeEachSecond()
    {
        var rtc = new Mc146818Rtc(_clock, new RecordingLine(), Mc146818Rtc.DefaultStart);
        Assert.Equal(0, Reg(rtc, 0x0A) & 0x80);
        Advance(1_000_000_000 - 100_000);
        Assert.Equal(0x80, Reg(rtc, 0x0A) & 0x80);
    }

    [Fact]
    public void Rtc_PeriodicInterrupt_RunsAtTheSelectedRate_AndRegisterCAcknowledges()
    {
        var irq = new RecordingLine();
        var rtc = new Mc146818Rtc(_clock, irq, Mc146818Rtc.DefaultStart);
        SetReg(rtc, 0x0A, 0x2A);         // RS = 10: 64 Hz
        SetReg(rtc, 0x0B, 0x42);         // PIE
        int seen = 0;
        for (int i = 0; i < 64; i++)
        {
            Advance(1_000_000_000 / 64);
            if (irq.Level)
            {
                Assert.Equal(0xC0, Reg(rtc, 0x0C) & 0xC0); // IRQF | PF (UF also sets each second, interrupt or not)
                seen++;
            }
        }
        Assert.InRange(seen, 63, 64);
        Assert.False(irq.Level);
    }

    [Fact]
    public void Rtc_SetBitFreezesTime_AndWritesTakeEffectWhenReleased()
    {
        var rtc = new Mc146818Rtc(_clock, new RecordingLine(), Mc146818Rtc.DefaultStart);
        SetReg(rtc, 0x0B, 0x82);         // SET, 24-hour, BCD
        SetReg(rtc, 0x07, 0x30);         // day 30 written before the month: kept raw
        SetReg(rtc, 0x08, 0x04);         // April
        SetReg(rtc, 0x04, 0x10);
        Advance(5_000_000_000);
        Assert.Equal(0x00, Reg(rtc, 0)); // frozen
        SetReg(rtc, 0x0B, 0x02);
        Advance(2_000_000_000);
        Assert.Equal(0x02, Reg(rtc, 0));
        Assert.Equal(0x30, Reg(rtc, 7));
        Assert.Equal(0x04, Reg(rtc, 8));
        Assert.Equal(0x10, Reg(rtc, 4));
    }

    [Fact]
    public void Rtc_AlarmWithDontCareFields_FiresEveryMinuteAtSecond30()
    {
        var irq = new RecordingLine();
        var rtc = new Mc146818Rtc(_clock, irq, Mc146818Rtc.DefaultStart);
        SetReg(rtc, 0x01, 0x30);
        SetReg(rtc, 0x03, 0xC0);
        SetReg(rtc, 0x05, 0xC0);
        SetReg(rtc, 0x0B, 0x22);         // AIE
        Advance(29_500_000_000);
        Assert.False(irq.Level);
        Advance(1_000_000_000);
        Assert.True(irq.Level);
        Assert.Equal(0xA0, Reg(rtc, 0x0C) & 0xA0); // IRQF | AF (PF and UF set too: flags run whatever the enables)
    }

    [Fact]
    public void Cmos_NmiMaskBit_AndPlainBytes()
    {
        var rtc = new Mc146818Rtc(_clock, new RecordingLine(), Mc146818Rtc.DefaultStart);
        rtc.Write(0x70, 1, 0x80 | 0x40);
        Assert.True(rtc.NmiMasked);
        rtc.Write(0x71, 1, 0x5A);
        rtc.Write(0x70, 1, 0x40);
        Assert.False(rtc.NmiMasked);
        Assert.Equal(0x5Au, rtc.Read(0x71, 1));
        Assert.Equal(0x80u, (uint)Reg(rtc, 0x0D)); // VRT
    }
}
