using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>The floppy controller as MINIX's driver probes it with no drive attached: reset, VERSION, RECALIBRATE and READ DATA end as the datasheet says.</summary>
public sealed class FloppyControllerTests
{
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
}
