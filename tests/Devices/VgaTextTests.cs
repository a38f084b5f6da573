using Minix318Emu.Devices.Video;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Tests.Devices;

/// <summary>VGA text mode: the screen text follows the CRTC start address.</summary>
public sealed class VgaTextTests
{
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
