using Minix318Emu.Devices.Interrupts;
using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>The local APIC and I/O APIC registers, priorities, the timer in guest time, EOI and remote IRR, and the IMCR routing.</summary>
public sealed class ApicTests
{
    private ulong _ticks;
    private readonly VirtualClock _clock;
    private readonly LocalApic _lapic;
    private readonly IoApic _ioapic;

    public ApicTests()
    {
        _clock = new VirtualClock(() => _ticks, 100_000_000);
        _lapic = new LocalApic(_clock);
        _ioapic = new IoApic(_lapic);
        _lapic.Write(0xF0, 4, 0x1FF); // software-enabled, spurious vector 0xFF
    }

    private void Advance(ulong ticks)
    {
        _ticks += ticks;
        _clock.RunDue();
    }

    [Fact]
    public void Version_Priorities_AndEoi()
    {
        Assert.Equal(0x0005_0014u, _lapic.Read(0x30, 4));
        _lapic.Accept(0x51, level: false);
        _lapic.Accept(0x62, level: false);
        Assert.Equal(0x62, _lapic.Pending());                    // the highest vector first
        Assert.Equal(1u << 2, _lapic.Read(0x230, 4));            // IRR bits 96..127: 0x62
        Assert.Equal(0x62, _lapic.Acknowledge());
        Assert.Equal(1u << 2, _lapic.Read(0x130, 4));            // now in service
        Assert.Equal(0x60u, _lapic.Read(0xA0, 4));               // PPR: the in-service class
        Assert.Equal(-1, _lapic.Pending());                      // 0x51 is below the in-service class
        _lapic.Write(0xB0, 4, 0);                                // EOI
        Assert.Equal(0x51, _lapic.Pending());
        _lapic.Write(0x80, 4, 0x70);                             // TPR above 0x51's class
        Assert.Equal(-1, _lapic.Pending());
        Assert.Equal(0xFF, _lapic.Acknowledge());                // nothing deliverable: the spurious vector
    }

    [Fact]
    public void Timer_OneShotAndPeriodic_InGuestTime()
    {
        _lapic.Write(0x3E0, 4, 0x3);                             // divide by 16
        _lapic.Write(0x320, 4, 0x40);                            // one-shot, vector 0x40
        _lapic.Write(0x380, 4, 1000);
        Advance(16 * 400);
        Assert.Equal(600u, _lapic.Read(0x390, 4));
        Advance(16 * 600);
        Assert.Equal(0u, _lapic.Read(0x390, 4));
        Assert.Equal(0x40, _lapic.Acknowledge());
        _lapic.Write(0xB0, 4, 0);
        _lapic.Write(0x320, 4, 0x20041);                         // periodic, vector 0x41
        _lapic.Write(0x380, 4, 100);
        int fired = 0;
        for (int i = 0; i < 5; i++)
        {
            Advance(16 * 100);
            if (_lapic.Pending() == 0x41)
            {
                fired++;
                _lapic.Acknowledge();
                _lapic.Write(0xB0, 4, 0);
            }
        }
        Assert.Equal(5, fired);
    }

    [Fact]
    public void SoftwareDisable_MasksTheLvt_AndSelfIpiArrives()
    {
        _lapic.Write(0x320, 4, 0x40);
        _lapic.Write(0xF0, 4, 0x0FF);                            // software-disabled
        Assert.Equal(1u << 16, _lapic.Read(0x320, 4) & (1u << 16));
        _lapic.Write(0xF0, 4, 0x1FF);
        _lapic.Write(0x300, 4, (1u << 18) | 0x55);               // self shorthand, fixed, vector 0x55
        Assert.Equal(0x55, _lapic.Pending());
        Assert.Equal(0u, _lapic.Read(0x300, 4) & (1u << 12));    // delivery status idle
    }

    [Fact]
    public void IoApic_Redirection_EdgeAndLevel_WithRemoteIrr()
    {
        Assert.Equal(0x0017_0011u, Read(0x01));                  // 24 entries, version 0x11
        Assert.Equal(0x0001_0000u, Read(0x10) & 0x0001_0000);    // masked after reset
        Write(0x10 + 2 * 3, 0x33);                               // pin 3: vector 0x33, edge, unmasked
        _ioapic.SetPin(3, true);
        Assert.Equal(0x33, _lapic.Pending());
        _lapic.Acknowledge();
        _lapic.Write(0xB0, 4, 0);
        Write(0x10 + 2 * 5, 0x35 | (1u << 15));                  // pin 5: level, vector 0x35
        _ioapic.SetPin(5, true);
        Assert.Equal(1u << 14, Read(0x10 + 2 * 5) & (1u << 14)); // remote IRR while in service
        Assert.Equal(0x35, _lapic.Acknowledge());
        _lapic.Write(0xB0, 4, 0);                                // EOI: still asserted, so it comes again
        Assert.Equal(0x35, _lapic.Pending());
        _lapic.Acknowledge();
        _ioapic.SetPin(5, false);
        _lapic.Write(0xB0, 4, 0);
        Assert.Equal(0u, Read(0x10 + 2 * 5) & (1u << 14));
        Assert.Equal(-1, _lapic.Pending());
    }

    [Fact]
    public void NmiDelivery_FromTheIoApicAndASelfIpi_RaisesTheCpusNmi_AndSmiIsNotImplemented()
    {
        int nmis = 0;
        _lapic.Nmi = () => nmis++;
        Write(0x10 + 2 * 7, 0x4 << 8 | 0x99 | 1u << 15);        // pin 7: NMI mode (level bit ignored), vector ignored
        _ioapic.SetPin(7, true);
        Assert.Equal(1, nmis);
        Assert.Equal(-1, _lapic.Pending());                      // nothing in IRR
        Assert.Equal(0u, Read(0x10 + 2 * 7) & (1u << 14));       // no remote IRR for an NMI
        _lapic.Write(0x300, 4, (1u << 18) | (4u << 8));          // ICR: self, NMI
        Assert.Equal(2, nmis);
        _lapic.Write(0x300, 4, (1u << 18) | (1u << 8) | 0x66);   // lowest priority to the only CPU: accepted
        Assert.Equal(0x66, _lapic.Pending());
        Write(0x10 + 2 * 9, 0x2 << 8);                           // pin 9: SMI
        var e = Assert.Throws<Minix318Emu.Emulator.Machine.MachineStopException>(() => _ioapic.SetPin(9, true));
        Assert.Equal("not implemented: SMI (system management mode) delivered by I/O APIC pin 9", e.Message);
    }

    [Fact]
    public void InitLevelDeassert_IsANoOp_ButAnInitAssertToItselfIsNotImplemented()
    {
        // xv6's lapicinit: "Send an Init Level De-Assert to synchronise arbitration ID's":
        // ICRLO = BCAST (all including self) | INIT | LEVEL, with the level (assert) bit clear.
        _lapic.Write(0x310, 4, 0);
        _lapic.Write(0x300, 4, (2u << 18) | (5u << 8) | (1u << 15));
        _lapic.Write(0x300, 4, (1u << 18) | (5u << 8) | (1u << 15)); // the self shorthand: the same
        _lapic.Write(0x300, 4, (5u << 8) | (1u << 15));               // physical destination 0 (this CPU)
        Assert.Equal(-1, _lapic.Pending());
        Assert.Equal(0u, _lapic.Read(0x280, 4));
        Assert.Equal(0u, _lapic.Read(0x300, 4) & (1u << 12));         // delivery status idle
        // An INIT that asserts (level bit set) at this processor still stops the run, named.
        var e = Assert.Throws<Minix318Emu.Emulator.Machine.MachineStopException>(
            () => _lapic.Write(0x300, 4, (1u << 18) | (5u << 8) | (1u << 14) | (1u << 15)));
        Assert.Equal("not implemented: INIT of the bootstrap processor through the local APIC's ICR", e.Message);
    }

    [Fact]
    public void ApicBaseMsr_RelocatesTheRegisters()
    {
        var h = new Minix318Emu.Tests.Cpu.CpuHarness();
        _ = new Minix318Emu.Devices.Board.PcBoard(h.Machine, new Minix318Emu.Devices.Board.BoardConfig());
        h.Code(c =>
        {
            c.mov(Iced.Intel.AssemblerRegisters.ecx, 0x1B);
            c.rdmsr();
            c.and(Iced.Intel.AssemblerRegisters.eax, 0xFFF);
            c.or(Iced.Intel.AssemblerRegisters.eax, unchecked((int)0xFED0_0000));
            c.wrmsr();
            c.mov(Iced.Intel.AssemblerRegisters.eax, Iced.Intel.AssemblerRegisters.__dword_ptr[0xFED0_0030]);
            c.mov(Iced.Intel.AssemblerRegisters.__dword_ptr[0x20000], Iced.Intel.AssemblerRegisters.eax);
            c.mov(Iced.Intel.AssemblerRegisters.eax, Iced.Intel.AssemblerRegisters.__dword_ptr[0xFEE0_0030]);
            c.mov(Iced.Intel.AssemblerRegisters.__dword_ptr[0x20004], Iced.Intel.AssemblerRegisters.eax);
        }).RunToEnd();
        Assert.Equal(0x0005_0014u, h.Machine.Memory.Read32(0x20000)); // the version register at the new base
        Assert.Equal(0xFFFF_FFFFu, h.Machine.Memory.Read32(0x20004)); // nothing left at the old one
    }

    [Fact]
    public void Imcr_SwitchesTheCpusInterruptSource()
    {
        var pic = new DualPic();
        var router = new ApicRouter(pic, _lapic, _ioapic);
        var bus = new IoBus();
        pic.Attach(bus);
        router.Attach(bus);
        bus.Write(0x20, 1, 0x11); bus.Write(0x21, 1, 0x20); bus.Write(0x21, 1, 0x04); bus.Write(0x21, 1, 0x01); bus.Write(0x21, 1, 0x00);
        router.IsaIrq(1).Set(true);
        Assert.False(router.ApicMode);
        Assert.True(router.InterruptPending);                    // PIC mode: the 8259 directly
        bus.Write(0x22, 1, 0x70);
        bus.Write(0x23, 1, 0x01);
        Assert.True(router.ApicMode);
        Assert.False(router.InterruptPending);                   // LINT0 is masked: the 8259 does not get through
        _lapic.VirtualWireMode();
        Assert.True(router.InterruptPending);                    // LINT0 ExtINT: virtual wire
        Assert.Equal(0x21, router.Acknowledge());
    }

    private uint Read(uint reg)
    {
        _ioapic.Write(0x00, 4, reg);
        return _ioapic.Read(0x10, 4);
    }

    private void Write(uint reg, uint v)
    {
        _ioapic.Write(0x00, 4, reg);
        _ioapic.Write(0x10, 4, v);
    }
}
