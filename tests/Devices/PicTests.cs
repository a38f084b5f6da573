using Minix318Emu.Devices.Interrupts;

namespace Minix318Emu.Tests.Devices;

/// <summary>The 8259A pair through its ports (Intel 8259A datasheet).</summary>
public sealed class PicTests
{
    private readonly DualPic _pic = new();

    private void Out(ushort port, byte v) => _pic.Write(port, 1, v);

    private byte In(ushort port) => (byte)_pic.Read(port, 1);

    private void InitPc(byte masterIcw4 = 0x01)
    {
        Out(0x20, 0x11); Out(0x21, 0x20); Out(0x21, 0x04); Out(0x21, masterIcw4);
        Out(0xA0, 0x11); Out(0xA1, 0x28); Out(0xA1, 0x02); Out(0xA1, 0x01);
    }

    [Fact]
    public void Initialisation_SetsVectorsAndClearsMasks()
    {
        Out(0x21, 0x55);
        InitPc();
        Assert.Equal(0x00, In(0x21)); // ICW1 clears IMR
        Assert.Equal(0x20, _pic.Master.VectorBase);
        Assert.Equal(0x28, _pic.Slave.VectorBase);
        Out(0x21, 0xFB);
        Assert.Equal(0xFB, In(0x21));
    }

    [Fact]
    public void EdgeRequest_IsDelivered_InServiceUntilEoi_AndBlocksLowerPriority()
    {
        InitPc();
        _pic.Irq(3).Set(true);
        _pic.Irq(1).Set(true);
        Assert.True(_pic.InterruptPending);
        Assert.Equal(0x21, _pic.Acknowledge()); // IRQ1 before IRQ3
        Assert.False(_pic.InterruptPending);    // IRQ3 is lower than IRQ1 in service
        Out(0x20, 0x0B);
        Assert.Equal(0x02, In(0x20));           // ISR
        Out(0x20, 0x20);                        // non-specific EOI
        Assert.True(_pic.InterruptPending);
        Assert.Equal(0x23, _pic.Acknowledge());
        // The edge was consumed: holding the line high does not repeat it.
        Out(0x20, 0x20);
        Assert.False(_pic.InterruptPending);
    }

    [Fact]
    public void SlaveInterrupts_CascadeThroughIrq2()
    {
        InitPc();
        _pic.Irq(14).Set(true);
        Assert.True(_pic.InterruptPending);
        Assert.Equal(0x2E, _pic.Acknowledge());
        Out(0xA0, 0x0B);
        Assert.Equal(0x40, In(0xA0));
        Out(0x20, 0x0B);
        Assert.Equal(0x04, In(0x20));
    }

    [Fact]
    public void Masked_RequestsStayInIrr()
    {
        InitPc();
        Out(0x21, 0x01);
        _pic.Irq(0).Set(true);
        Assert.False(_pic.InterruptPending);
        Out(0x20, 0x0A);
        Assert.Equal(0x01, In(0x20)); // IRR
        Out(0x21, 0x00);
        Assert.True(_pic.InterruptPending);
    }

    [Fact]
    public void AutoEoi_LeavesIsrClear()
    {
        InitPc(masterIcw4: 0x03);
        _pic.Irq(5).Set(true);
        Assert.Equal(0x25, _pic.Acknowledge());
        Out(0x20, 0x0B);
        Assert.Equal(0x00, In(0x20));
    }

    [Fact]
    public void SpecificEoi_AndRotation()
    {
        InitPc();
        _pic.Irq(4).Set(true);
        Assert.Equal(0x24, _pic.Acknowledge());
        Out(0x20, 0x60 | 4);            // specific EOI for IR4
        Out(0x20, 0x0B);
        Assert.Equal(0x00, In(0x20));
        Out(0x20, 0xC0 | 4);            // set priority: IR4 lowest, so IR5 highest
        _pic.Irq(3).Set(true);
        _pic.Irq(6).Set(true);
        Assert.Equal(0x26, _pic.Acknowledge()); // IR6 outranks IR3 now
        Out(0x20, 0xA0);                // rotate on non-specific EOI: IR6 becomes lowest
        Assert.Equal(6, (_pic.Master.PriorityAdd + 7) & 7);
    }

    [Fact]
    public void PollMode_AcknowledgesAndReportsTheLevel()
    {
        InitPc();
        _pic.Irq(7).Set(true);
        Out(0x20, 0x0C);                // OCW3 poll
        Assert.Equal(0x87, In(0x20));
        Out(0x20, 0x0C);
        Assert.Equal(0x00, In(0x20));   // nothing pending now
    }

    [Fact]
    public void SpecialMaskMode_LetsLowerLevelsThroughAMaskedInServiceLevel()
    {
        InitPc();
        _pic.Irq(1).Set(true);
        Assert.Equal(0x21, _pic.Acknowledge()); // IR1 in service
        _pic.Irq(5).Set(true);
        Assert.False(_pic.InterruptPending);
        Out(0x21, 0x02);                // mask IR1
        Out(0x20, 0x68);                // OCW3: set special mask
        Assert.True(_pic.InterruptPending);
        Assert.Equal(0x25, _pic.Acknowledge());
    }

    [Fact]
    public void LevelTriggeredInput_FollowsTheLine_ViaElcr()
    {
        InitPc();
        _pic.Write(0x4D1, 1, 0x08);     // IRQ11 level triggered
        Assert.Equal(0x08, (byte)_pic.Read(0x4D1, 1));
        _pic.Write(0x4D0, 1, 0x07);     // IRQ0-2 cannot be level triggered
        Assert.Equal(0x00, (byte)_pic.Read(0x4D0, 1));
        _pic.Irq(11).Set(true);
        Assert.Equal(0x2B, _pic.Acknowledge());
        Out(0xA0, 0x20);
        Out(0x20, 0x20);
        Assert.True(_pic.InterruptPending);  // still asserted: requested again
        _pic.Irq(11).Set(false);
        // The master latched the cascade edge; with the request gone the slave answers IR7: spurious IRQ 15.
        Assert.Equal(0x2F, _pic.Acknowledge());
        Out(0xA0, 0x0B);
        Assert.Equal(0x00, In(0xA0));
        Assert.Equal(1, _pic.Spurious);
    }

    [Fact]
    public void RequestThatVanishesBeforeAcknowledge_IsSpuriousIrq7()
    {
        InitPc();
        Assert.Equal(0x27, _pic.Acknowledge());
        Out(0x20, 0x0B);
        Assert.Equal(0x00, In(0x20)); // a spurious IR7 sets no ISR bit
        Assert.Equal(1, _pic.Spurious);
    }
}
