using Minix318Emu.Devices.Input;
using Minix318Emu.Devices.Pci;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Devices.Video;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>PCI configuration mechanism #1, the i8042 and VGA text.</summary>
public sealed class PciKeyboardVgaTests
{
    private static (IoBus Bus, PciConfigSpace Pci) MakePci()
    {
        var bus = new IoBus();
        var pci = new PciConfigSpace();
        pci.Attach(bus);
        pci.Add(0, 0, new HostBridge());
        pci.Add(1, 0, new IsaBridge());
        var mem = new PhysicalMemory(1u << 20);
        var ide = new IdeChannel(0x1F0, 0x3F6, new RecordingLine());
        pci.Add(1, 1, new IdeFunction(bus, new BusMasterPorts(new BusMasterDma(mem, ide), null)));
        return (bus, pci);
    }

    private static uint Cfg(IoBus bus, int dev, int fn, int reg)
    {
        bus.Write(0xCF8, 4, 0x8000_0000u | (uint)(dev << 11) | (uint)(fn << 8) | (uint)reg);
        return bus.Read(0xCFC, 4);
    }

    [Fact]
    public void Functions_AnswerWithTheirIdentity_AbsentOnesReadAllOnes()
    {
        var (bus, _) = MakePci();
        Assert.Equal(0x1237_8086u, Cfg(bus, 0, 0, 0));
        Assert.Equal(0x7010_8086u, Cfg(bus, 1, 1, 0));
        Assert.Equal(0x0101_8000u, Cfg(bus, 1, 1, 8) & 0xFFFF_FF00);
        Assert.Equal(0x80u, (Cfg(bus, 1, 0, 0x0C) >> 16) & 0xFF); // multi-function
        Assert.Equal(0xFFFF_FFFFu, Cfg(bus, 5, 0, 0));
        bus.Write(0xCF8, 4, 0x8000_0000u | (1 << 11));              // narrow reads of the window
        Assert.Equal(0x80u, bus.Read(0xCFD, 1));
        Assert.Equal(0x7000u, bus.Read(0xCFE, 2));
    }

    [Fact]
    public void BusMasterBar_SizesAndRelocates()
    {
        var (bus, _) = MakePci();
        Assert.Equal(IdeFunction.DefaultBusMasterBase | 1u, Cfg(bus, 1, 1, 0x20));
        Assert.True(bus.IsClaimed(IdeFunction.DefaultBusMasterBase));
        bus.Write(0xCF8, 4, 0x8000_0000u | (1 << 11) | (1 << 8) | 0x20);
        bus.Write(0xCFC, 4, 0xFFFF_FFFF);
        Assert.Equal(0xFFFF_FFF1u, bus.Read(0xCFC, 4));          // 16 bytes of I/O
        bus.Write(0xCFC, 4, 0xD000);
        Assert.True(bus.IsClaimed(0xD000));
        Assert.False(bus.IsClaimed(IdeFunction.DefaultBusMasterBase));
    }

    [Fact]
    public void BusMasterBar_MovedOverAnotherDevicesPorts_LeavesThemToIt()
    {
        // Found by the device fuzzer (issue 18): a guest moving BAR4 over ports another device
        // decodes threw InvalidOperationException out of the I/O bus. Minimal input: BAR4 =
        // 0x0CF0, whose upper half is the configuration mechanism's own 0xCF8-0xCFF.
        var (bus, pci) = MakePci();
        bus.Write(0xCF8, 4, 0x8000_0000u | (1 << 11) | (1 << 8) | 0x20);
        bus.Write(0xCFC, 4, 0x0CF0);
        Assert.Same(pci, bus.DeviceAt(0xCF8));                     // configuration cycles still work
        Assert.IsType<BusMasterPorts>(bus.DeviceAt(0xCF0));        // the block has the free half
        Assert.Equal(0x0CF1u, Cfg(bus, 1, 1, 0x20));
        bus.Write(0xCF8, 4, 0x8000_0000u | (1 << 11) | (1 << 8) | 0x20);
        bus.Write(0xCFC, 4, 0xD000);                                // and it can be moved away again
        Assert.False(bus.IsClaimed(0xCF0));
        Assert.Same(pci, bus.DeviceAt(0xCFC));
        Assert.IsType<BusMasterPorts>(bus.DeviceAt(0xD00F));
    }

    [Fact]
    public void Keyboard_SelfTest_CommandByte_AndTranslatedScanCodes()
    {
        var irq = new RecordingLine();
        var k = new I8042Controller(irq);
        k.Write(0x64, 1, 0xAA);
        Assert.Equal(0x01u, k.Read(0x64, 1) & 0x01);
        Assert.Equal(0x55u, k.Read(0x60, 1));
        k.Write(0x64, 1, 0x20);
        Assert.Equal(0x45u, k.Read(0x60, 1)); // interrupt, system flag, translate
        k.TypeText("a");
        Assert.True(irq.Level);
        Assert.Equal(0x1Eu, k.Read(0x60, 1)); // set 2 1C -> set 1 1E
        Assert.Equal(0x9Eu, k.Read(0x60, 1)); // F0 1C -> 9E
        Assert.False(irq.Level);
        k.Write(0x64, 1, 0x60);
        k.Write(0x60, 1, 0x05);               // no translation
        k.TypeText("a");
        Assert.Equal(0x1Cu, k.Read(0x60, 1));
        Assert.Equal(0xF0u, k.Read(0x60, 1));
        Assert.Equal(0x1Cu, k.Read(0x60, 1));
    }

    [Fact]
    public void Keyboard_ResetAndIdentify_Acknowledge()
    {
        var k = new I8042Controller(new RecordingLine());
        k.Write(0x60, 1, 0xFF);
        Assert.Equal(0xFAu, k.Read(0x60, 1));
        Assert.Equal(0xAAu, k.Read(0x60, 1));
        k.Write(0x60, 1, 0xF2);
        Assert.Equal(0xFAu, k.Read(0x60, 1));
        Assert.Equal(0xABu, k.Read(0x60, 1));
        Assert.Equal(0x41u, k.Read(0x60, 1));
        k.Write(0x60, 1, 0x12);               // not a command
        Assert.Equal(0xFEu, k.Read(0x60, 1));
    }

    [Fact]
    public void Keyboard_OutputPort_DrivesA20AndReset()
    {
        bool? a20 = null;
        bool reset = false;
        var k = new I8042Controller(new RecordingLine()) { A20Changed = v => a20 = v, ResetRequested = () => reset = true };
        k.Write(0x64, 1, 0xD1);
        k.Write(0x60, 1, 0x01);               // A20 off, no reset
        Assert.False(a20);
        Assert.False(reset);
        k.Write(0x64, 1, 0xFE);               // pulse reset
        Assert.True(reset);
    }

    [Fact]
    public void Vga_ScreenTextFollowsTheStartAddress()
    {
        var mem = new PhysicalMemory(1u << 20);
        var bus = new IoBus();
        var vga = new VgaText();
        vga.Attach(mem, bus);
        foreach (var (i, ch) in "hi there".Select((c, i) => (i, c)))
        {
            mem.Write16(0xB8000 + (uint)(80 * 2 + i) * 2, (ushort)(0x0700 | ch));
        }
        Assert.Equal("hi there", vga.ScreenText().Split('\n')[2]);
        bus.Write(0x3D4, 2, 0x500D);          // start address low = 0x50: one line down (OUT DX, AX form)
        Assert.Equal(80, vga.StartAddress);
        Assert.Equal("hi there", vga.ScreenText().Split('\n')[1]);
    }
}
