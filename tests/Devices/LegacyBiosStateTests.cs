using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Firmware;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Memory;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>
/// What a BIOS leaves behind on the direct boot routes: every byte <see cref="LegacyBiosState"/>
/// documents, and the ROM stubs doing what real-mode code expects of them.
/// </summary>
public sealed class LegacyBiosStateTests
{
    private static BootedPc BootDemo(DateTime? rtc = null) =>
        MachineFactory.Boot(Repo.Guest("demo"), "", Array.Empty<Minix318Emu.Images.Multiboot.ModuleSpec>(), 32u << 20,
            new BoardConfig { Com1Sink = new MemorySerialSink(), RtcStart = rtc ?? Minix318Emu.Devices.Rtc.Mc146818Rtc.DefaultStart });

    [Fact]
    public void DataArea_HoldsThePostValues_AMinixConsoleDriverReads()
    {
        PhysicalMemory m = BootDemo().Machine.Memory;
        Assert.Equal(0x3F8, m.Read16(0x400));  // COM1
        Assert.Equal(0x2F8, m.Read16(0x402));  // COM2
        Assert.Equal(0, m.Read16(0x404));
        Assert.Equal(0, m.Read16(0x408));      // no LPT1
        Assert.Equal(0x9FC0, m.Read16(0x40E)); // EBDA segment
        Assert.Equal(0x0422, m.Read16(0x410)); // FPU, 80x25 colour, two serial ports, no floppy
        Assert.Equal(639, m.Read16(0x413));
        Assert.Equal(0x1E, m.Read16(0x41A));
        Assert.Equal(0x1E, m.Read16(0x41C));
        Assert.Equal(3, m.Read8(0x449));
        Assert.Equal(80, m.Read16(0x44A));
        Assert.Equal(4096, m.Read16(0x44C));
        Assert.Equal(0, m.Read16(0x44E));
        Assert.Equal(0x0607, m.Read16(0x460));
        Assert.Equal(0, m.Read8(0x462));
        Assert.Equal(0x3D4, m.Read16(0x463));
        Assert.Equal(0x29, m.Read8(0x465));
        Assert.Equal(0x30, m.Read8(0x466));
        Assert.Equal(0u, m.Read32(0x46C));     // the default RTC start is midnight
        Assert.Equal(0, m.Read8(0x475));       // no hard disk on this board
        Assert.Equal(0x1E, m.Read16(0x480));
        Assert.Equal(0x3E, m.Read16(0x482));
        Assert.Equal(24, m.Read8(0x484));
        Assert.Equal(16, m.Read16(0x485));
        Assert.Equal(0x60, m.Read8(0x487));
        Assert.Equal(0x09, m.Read8(0x488));
        Assert.Equal(0x11, m.Read8(0x489));
        Assert.Equal(0x10, m.Read8(0x496));
        Assert.Equal(1, m.Read8(0x9FC00));     // EBDA size in KiB
    }

    [Fact]
    public void RomIdentity_IsAnAtWithABiosDate()
    {
        PhysicalMemory m = BootDemo().Machine.Memory;
        Assert.Equal(0xFC, m.Read8(0xFFFFE));
        var date = new byte[8];
        m.ReadBytes(0xFFFF5, date);
        Assert.Matches(@"^\d\d/\d\d/\d\d$", System.Text.Encoding.ASCII.GetString(date));
        Assert.Equal(0xEA, m.Read8(0xFFFF0)); // the reset vector's far jump
    }

    [Fact]
    public void Ivt_PointsEveryVectorIntoTheRom_AndTheScreenIsClearedGreyOnBlack()
    {
        PhysicalMemory m = BootDemo().Machine.Memory;
        for (uint v = 0; v < 256; v++)
        {
            Assert.Equal(0xF000, m.Read16(v * 4 + 2));
        }
        Assert.Equal(0xFF53, m.Read16(0x21 * 4));
        Assert.Equal(0xCF, m.Read8(LegacyBiosState.IretStub));
        Assert.NotEqual(0xFF53, m.Read16(0x08 * 4)); // hardware IRQs go to EOI stubs
        Assert.NotEqual(0xFF53, m.Read16(0x70 * 4));
        Assert.Equal(0x0720, m.Read16(0xB8000));
        Assert.Equal(0x0720, m.Read16(0xB8000 + 2 * (80 * 25 - 1)));
    }

    [Theory]
    [InlineData(0, 0, 0x0022)]
    [InlineData(1, 2, 0x0423)]
    [InlineData(2, 2, 0x0463)]
    public void EquipmentWord_CountsFloppiesAndSerialPorts(int floppies, int serial, int expected) =>
        Assert.Equal(expected, LegacyBiosState.EquipmentWord(floppies, serial));

    [Fact]
    public void TickCount_FollowsTheRtcTimeOfDay()
    {
        // 18.2065 ticks a second (1193182 / 65536): noon is 786 521 ticks after midnight (43 200 s x 1193182 / 65536 = 786 521.3).
        Assert.Equal(786_521u, LegacyBiosState.TicksSinceMidnight(new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc)));
        PhysicalMemory m = BootDemo(new DateTime(2026, 3, 4, 12, 0, 0, DateTimeKind.Utc)).Machine.Memory;
        Assert.Equal(786_521u, m.Read32(0x46C));
    }

    [Fact]
    public void IrqStub_SendsTheEndOfInterruptARealModeHandlerOwes()
    {
        BootedPc pc = BootDemo();
        var pic = pc.Board.Pic;
        // IRQ 0 taken by the CPU: in service on the master 8259 until someone sends an EOI.
        pic.Irq(0).Set(true);
        pic.Acknowledge();
        Assert.NotEqual(0, pic.Master.Isr & 1);
        // Real-mode code at 0000:7C00 calls the vector as the CPU would, then halts with IF clear.
        pc.Machine.Memory.WriteBytes(0x7C00, [0xCD, 0x08, 0xF4]); // int 8; hlt
        pc.Machine.Cpu.Reset();
        pc.Machine.Cpu.JumpRealMode(0, 0x7C00);
        RunResult r = pc.Machine.Run(new RunLimits(1000));
        Assert.Equal(StopReason.HaltedForever, r.Reason);
        Assert.Equal(0, pic.Master.Isr & 1);
    }

    [Fact]
    public void ResetVector_ResetsTheMachineThroughTheKeyboardController()
    {
        BootedPc pc = BootDemo();
        pc.Machine.Cpu.Reset();
        pc.Machine.Cpu.JumpRealMode(0xF000, 0xFFF0);
        RunResult r = pc.Machine.Run(new RunLimits(1000));
        Assert.Equal(StopReason.Reset, r.Reason);
    }
}
