using Iced.Intel;
using Minix318Emu.Devices.Chipset;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Tests.Cpu;
using Minix318Emu.Tests.Support;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Devices;

/// <summary>The PC's x87 error path: FERR# raises IRQ 13 when CR0.NE is clear, a write to port 0xF0 drops it.</summary>
public sealed class FpuErrorPortTests
{
    [Fact]
    public void UnmaskedException_AtAWaitingInstruction_RaisesIrq13_UntilPortF0IsWritten()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.fninit();
            c.fldcw(__word_ptr[0x20000]);
            c.fldz();
            c.fld1();
            c.fdivrp(st1, st0); // 1 / 0, ZE unmasked: pending
            c.wait();           // reported: FERR#
        });
        h.Machine.Memory.Write16(0x20000, 0x037B);
        var irq13 = new RecordingLine();
        var port = new FpuErrorPort(h.Cpu, irq13);
        h.RunToEnd();
        Assert.True(irq13.Level);
        Assert.Equal(0xFFu, port.Read(FpuErrorPort.Port, 1));
        port.Write(FpuErrorPort.Port, 1, 0);
        Assert.False(irq13.Level);
    }
}
