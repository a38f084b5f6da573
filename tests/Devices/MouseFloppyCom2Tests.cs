using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Input;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>What MINIX's drivers probe beyond the legacy console: the PS/2 mouse, the floppy controller, COM2.</summary>
public sealed class MouseFloppyCom2Tests
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

    [Fact]
    public void Floppy_WithNoDrive_AnswersResetVersionRecalibrateAndReads()
    {
        var irq6 = new RecordingLine();
        var fdc = new FloppyController(irq6);
        var bus = new IoBus();
        fdc.Attach(bus);
        byte In(ushort p) => (byte)bus.Read(p, 1);
        void Out(ushort p, byte v) => bus.Write(p, 1, v);
        List<byte> Result()
        {
            var r = new List<byte>();
            while ((In(0x3F4) & 0xC0) == 0xC0)
            {
                r.Add(In(0x3F5));
            }
            return r;
        }

        Out(0x3F2, 0x00);                // reset asserted
        Out(0x3F2, 0x0C);                // released, DMA/IRQ enabled
        Assert.True(irq6.Level);
        for (byte d = 0; d < 4; d++)
        {
            Out(0x3F5, 0x08);            // SENSE INTERRUPT STATUS, once per drive
            Assert.Equal(new byte[] { (byte)(0xC0 | d), 0 }, Result());
        }
        Assert.False(irq6.Level);
        Assert.Equal(0x80, In(0x3F4));   // ready for a command
        Out(0x3F5, 0x10);                // VERSION
        Assert.Equal(new byte[] { 0x90 }, Result());
        Out(0x3F5, 0x07);                // RECALIBRATE drive 0: never sees track 0
        Out(0x3F5, 0x00);
        Assert.True(irq6.Level);
        Out(0x3F5, 0x08);
        Assert.Equal(new byte[] { 0x70, 0 }, Result()); // abnormal termination, seek end, equipment check
        Out(0x3F5, 0xE6);                // READ DATA, drive 0, C0 H0 R1 N2, EOT 18, GPL, DTL
        foreach (byte b in new byte[] { 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF })
        {
            Out(0x3F5, b);
        }
        Assert.Equal(new byte[] { 0x48, 0, 0, 0, 0, 1, 2 }, Result()); // not ready: it ends at once
        Out(0x3F5, 0x1F);                // not a command
        Assert.Equal(new byte[] { 0x80 }, Result());
    }

    [Fact]
    public void Board_HasCom2AtItsPort_AndNoFloppyInCmos()
    {
        var machine = new PcMachine(16u << 20);
        using var board = new PcBoard(machine, new BoardConfig());
        machine.Io.Write(0x2FF, 1, 0x5A);        // COM2's scratch register
        Assert.Equal(0x5Au, machine.Io.Read(0x2FF, 1));
        machine.Io.Write(0x70, 1, 0x10);
        Assert.Equal(0u, machine.Io.Read(0x71, 1)); // no floppy drives
        machine.Io.Write(0x70, 1, 0x14);
        Assert.Equal(0x02u, machine.Io.Read(0x71, 1) & 0x03); // equipment: an FPU, no floppy
    }
}
