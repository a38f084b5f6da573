using Minix318Emu.Devices.Input;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>The i8042 keyboard controller: self-test, command byte, scan-code translation, the keyboard's reset and identify, the output port (A20, reset), and the PS/2 mouse on its auxiliary port.</summary>
public sealed class I8042Tests
{
    private static (I8042Controller K, RecordingLine Irq1, RecordingLine Irq12) Controller()
    {
        var irq1 = new RecordingLine();
        var irq12 = new RecordingLine();
        return (new I8042Controller(irq1, irq12), irq1, irq12);
    }

    private static void ToMouse(I8042Controller k, byte v)
    {
        k.Write(0x64, 1, 0xD4);
        k.Write(0x60, 1, v);
    }

    private static List<byte> Drain(I8042Controller k, bool expectAux)
    {
        var got = new List<byte>();
        while ((k.Read(0x64, 1) & 0x01) != 0)
        {
            Assert.Equal(expectAux, (k.Read(0x64, 1) & 0x20) != 0);
            got.Add((byte)k.Read(0x60, 1));
        }
        return got;
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
    public void Mouse_ResetIdentifyAndStatus_ThroughTheAuxPort()
    {
        var (k, irq1, irq12) = Controller();
        k.Write(0x64, 1, 0xA9);
        Assert.Equal(new byte[] { 0x00 }, Drain(k, expectAux: false)); // aux port test passed
        k.Write(0x64, 1, 0x60);
        k.Write(0x60, 1, 0x47); // keyboard and aux interrupts on, translation
        ToMouse(k, 0xFF);
        Assert.True(irq12.Level);
        Assert.False(irq1.Level);
        Assert.Equal(new byte[] { 0xFA, 0xAA, 0x00 }, Drain(k, expectAux: true));
        ToMouse(k, 0xF2);
        Assert.Equal(new byte[] { 0xFA, 0x00 }, Drain(k, expectAux: true));
        ToMouse(k, 0xF3);
        ToMouse(k, 40);
        ToMouse(k, 0xE9);
        Assert.Equal(new byte[] { 0xFA, 0xFA, 0xFA, 0x00, 0x02, 40 }, Drain(k, expectAux: true));
        ToMouse(k, 0x42);
        Assert.Equal(new byte[] { 0xFE }, Drain(k, expectAux: true)); // not a mouse command
    }

    [Fact]
    public void Mouse_StreamsPackets_OnlyWithReportingOn_AndNotWhileTheAuxPortIsDisabled()
    {
        var (k, _, irq12) = Controller();
        k.Write(0x64, 1, 0x60);
        k.Write(0x60, 1, 0x47);
        k.Mouse.Move(5, -3, 1);
        Assert.Empty(Drain(k, expectAux: true));                     // reporting is off after power-on
        ToMouse(k, 0xF4);
        Assert.Equal(new byte[] { 0xFA }, Drain(k, expectAux: true));
        k.Mouse.Move(5, -3, 1);
        Assert.Equal(new byte[] { 0x29, 5, 0xFD }, Drain(k, expectAux: true)); // left button, Y negative
        k.Write(0x64, 1, 0xA7);                                      // disable the aux port
        k.Mouse.Move(1, 1, 0);
        Assert.Empty(Drain(k, expectAux: true));
        Assert.False(irq12.Level);
        k.Write(0x64, 1, 0xA8);
        Assert.Equal(new byte[] { 0x08, 1, 1 }, Drain(k, expectAux: true)); // held, then delivered
    }
}
