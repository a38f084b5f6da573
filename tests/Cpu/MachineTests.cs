using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Memory;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>Buses and memory as a PC presents them, and real mode.</summary>
public sealed class MachineTests
{
    [Fact]
    public void UnclaimedPortsAndMemoryBeyondRam_ReadAllOnes()
    {
        var io = new IoBus();
        Assert.Equal(0xFFu, io.Read(0x1234, 1));
        Assert.Equal(0xFFFFu, io.Read(0x1234, 2));
        Assert.Equal(0xFFFF_FFFFu, io.Read(0x1234, 4));
        var mem = new PhysicalMemory(1u << 20);
        Assert.Equal(0xFFFF_FFFFu, mem.Read32(0x200000));
        mem.Write32(0x200000, 5); // ignored: nothing there
        Assert.Equal(0xFFu, mem.Read8(0x200000));
        // A dword straddling the end of RAM reads RAM bytes then all-ones bytes.
        mem.Write16(0xFFFFE, 0x1234);
        Assert.Equal(0xFFFF_1234u, mem.Read32(0xFFFFE));
    }

    [Fact]
    public void AMachineStoppedAtALimit_RunsOn_AndOneTheGuestEndedStaysEnded()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(ecx, 1000);
            var loop = c.CreateLabel();
            c.Label(ref loop);
            c.dec(ecx);
            c.jnz(loop);                // 2001 instructions, then HLT with interrupts off
        });
        RunResult first = h.Run(501);
        Assert.Equal(StopReason.LimitReached, first.Reason);
        Assert.Equal(501ul, first.Instructions);
        Assert.Equal(750u, h.Ecx);
        RunResult second = h.Run(1000);
        Assert.Equal(StopReason.LimitReached, second.Reason);
        Assert.Equal(1000ul, second.Instructions);
        Assert.Equal(250u, h.Ecx);
        RunResult third = h.Run();
        Assert.Equal(StopReason.HaltedForever, third.Reason);
        Assert.Equal(501ul, third.Instructions); // the last 500 and the HLT
        Assert.Equal(0u, h.Ecx);
        RunResult fourth = h.Run();
        Assert.Equal(StopReason.HaltedForever, fourth.Reason); // the guest's end is not a pause
        Assert.Equal(0ul, fourth.Instructions);
    }

    /// <summary>A port whose write schedules an event a fixed number of ticks later and records when it ran.</summary>
    private sealed class TimerPort(PcMachine machine, ulong delay) : IPortDevice
    {
        public ulong Due, RanAt;

        public uint Read(ushort port, int size) => 0;

        public void Write(ushort port, int size, uint value)
        {
            Due = machine.Clock.Now + delay;
            machine.Clock.Schedule(Due, () => RanAt = machine.Clock.Now);
        }
    }

    [Fact]
    public void AnEventScheduledDuringTheCpuSlice_RunsOnTime_NotAtTheSliceEnd()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.@out(0x99, al);           // the device schedules an event 500 ticks ahead
            c.mov(ecx, 200_000);
            var loop = c.CreateLabel();
            c.Label(ref loop);
            c.dec(ecx);
            c.jnz(loop);                // 400 000 instructions, well inside one slice
        });
        var port = new TimerPort(h.Machine, 500);
        h.Machine.Io.Register(0x99, 1, port);
        h.Run();
        Assert.NotEqual(0ul, port.RanAt);
        Assert.InRange(port.RanAt, port.Due, port.Due + 2); // the loop's block is two instructions
    }

    [Fact]
    public void A20Gate_WrapsAtOneMegabyte_WhenDisabled()
    {
        var mem = new PhysicalMemory(4u << 20);
        mem.Write32(0x000010, 0x1111);
        mem.Write32(0x100010, 0x2222);
        mem.SetA20(false);
        Assert.Equal(0x1111u, mem.Read32(0x100010));
        mem.SetA20(true);
        Assert.Equal(0x2222u, mem.Read32(0x100010));
    }

    [Fact]
    public void RealMode_SegmentArithmetic_16BitCode_AndTheIvt()
    {
        var h = new CpuHarness(protectedMode: false);
        // Real mode after reset (CS:IP = F000:FFF0, base FFFF0000); start at 0000:7C00 as a boot sector would.
        h.Machine.Memory.Write32(0x21 * 4, 0x0000_0900); // IVT[0x21] = 0000:0900
        h.Machine.Memory.Write8(0x900, 0x41);            // inc cx
        h.Machine.Memory.Write8(0x901, 0xCF);            // iret
        var a = new Iced.Intel.Assembler(16);
        a.mov(ax, 0x1234);
        a.mov(ds, ax);
        a.mov(__word_ptr[0x10], 0xBEEF);     // 0x12340 + 0x10
        a.mov(bx, 0xFFFF);
        a.mov(sp, 0x7000);
        a.@int(0x21);
        a.hlt();
        using var ms = new MemoryStream();
        a.Assemble(new Iced.Intel.StreamCodeWriter(ms), 0x7C00);
        h.Machine.Memory.WriteBytes(0x7C00, ms.ToArray());
        Assert.Equal(0xFFFF_0000u, h.Cpu.Seg[1].Base);
        h.Cpu.JumpRealMode(0, 0x7C00);
        RunResult r = h.Run();
        Assert.Equal(StopReason.HaltedForever, r.Reason);
        Assert.Equal(0xBEEFu, h.Machine.Memory.Read16(0x12350));
        Assert.Equal(1u, h.Ecx & 0xFFFF);
        Assert.Equal(0x7000u, h.Cpu.R[4] & 0xFFFF); // IRET popped what INT pushed
    }

    [Fact]
    public void ProtectedMode16BitCodeSegment_Uses16BitOperandsByDefault()
    {
        var h = new CpuHarness();
        h.WriteDescriptor(6, 0x0000_9A00_0000_FFFFul); // 16-bit code, base 0, limit 64 KiB
        var a16 = new Iced.Intel.Assembler(16);
        a16.mov(ax, 0x1234);     // 16-bit immediate
        a16.inc(eax);            // needs a 66h prefix in 16-bit code
        a16.hlt();
        using var ms = new MemoryStream();
        a16.Assemble(new Iced.Intel.StreamCodeWriter(ms), 0x8000);
        h.Machine.Memory.WriteBytes(0x8000, ms.ToArray());
        h.Code(c =>
        {
            c.mov(eax, 0xFFFF_0000);
            c.jmp(0x30, 0x8000);
        });
        RunResult r = h.Run();
        Assert.Equal(StopReason.HaltedForever, r.Reason);
        Assert.Equal(0xFFFF_1235u, h.Eax);
        Assert.Equal(0x30, h.Cpu.Seg[1].Selector);
    }
}
