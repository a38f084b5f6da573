using Minix318Emu.Devices.Pci;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>PCI configuration mechanism #1: function identity, absent functions, and the IDE bus-master BAR.</summary>
public sealed class PciConfigTests
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
}
