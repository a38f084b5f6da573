using Iced.Intel;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// Far pointers and stack sizes in real mode, virtual-8086 mode and 16-bit protected mode (SDM
/// CALL, JMP, RET, IRET, ENTER, PUSHA/POPA and POP pseudo-code): the operand size picks the
/// pointer and push widths, the stack segment's B bit picks SP or ESP.
/// </summary>
public sealed class SixteenBitTests
{
    private const uint RealCode = 0x7C00;
    private const uint RealStack = 0x7000;
    private const uint FarPointer = 0x500;
    private const uint Halt = 0x600; // every real-mode interrupt vector points at a HLT here

    /// <summary>Real mode at 0000:7C00 with SS:SP = 0000:7000, DS = 0 and every IVT entry at a HLT.</summary>
    private static CpuHarness RealMode(Action<Assembler> build)
    {
        var h = new CpuHarness(protectedMode: false);
        for (uint v = 0; v < 256; v++)
        {
            h.Machine.Memory.Write32(v * 4, Halt);
        }
        h.Machine.Memory.Write8(Halt, 0xF4);
        var a = new Assembler(16);
        a.xor(ax, ax);
        a.mov(ds, ax);
        a.mov(ss, ax);
        a.mov(sp, (ushort)RealStack);
        build(a);
        a.hlt();
        using var ms = new MemoryStream();
        a.Assemble(new StreamCodeWriter(ms), RealCode);
        h.Machine.Memory.WriteBytes(RealCode, ms.ToArray());
        h.Cpu.JumpRealMode(0, RealCode);
        return h;
    }

    /// <summary>PUSH imm32 in 16-bit code (66 68 id), spelled out so the operand size is certain.</summary>
    private static void PushD(Assembler a, uint v) =>
        a.db(0x66, 0x68, (byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24));

    /// <summary>The state at the first exception, before it is delivered: vector, error code, CS, EIP and ESP.</summary>
    private static (int Vector, int Error, ushort Cs, uint Eip, uint Esp) RunToFaultState(CpuHarness h)
    {
        (int, int, ushort, uint, uint)? first = null;
        h.Cpu.ExceptionRaised = (v, e) => first ??= (v, e, h.Cpu.Seg[SegReg.Cs].Selector, h.Cpu.Eip, h.Cpu.R[Reg.Esp]);
        h.Run();
        Assert.True(first.HasValue, "expected an exception, none was raised");
        return first.Value;
    }

    private static void RunToHalt(CpuHarness h)
    {
        int fault = -1;
        h.Cpu.ExceptionRaised = (v, _) => fault = fault < 0 ? v : fault;
        RunResult r = h.Run();
        Assert.True(fault < 0, $"unexpected {ExceptionVectors.Name(fault)}");
        Assert.Equal(StopReason.HaltedForever, r.Reason);
    }

    [Fact]
    public void RealMode_CallFarThroughAnM1616Pointer_TakesTheSelectorAtPlus2_AndPushesTwoWords()
    {
        // call far [si] (FF /3, 16-bit operand size): offset word at [si], selector word at [si+2].
        var h = RealMode(c =>
        {
            c.mov(si, (ushort)FarPointer);
            c.call(__dword_ptr[si]);
        });
        h.Machine.Memory.Write16(FarPointer, 0x0010);
        h.Machine.Memory.Write16(FarPointer + 2, 0x0800);
        h.Machine.Memory.Write16(FarPointer + 4, 0x1234); // what an m16:32 reading would take for the selector
        h.Machine.Memory.Write8(0x8010, 0xF4);          // 0800:0010
        RunToHalt(h);
        Assert.Equal(0x0800, h.Cpu.Seg[SegReg.Cs].Selector);
        Assert.Equal(0x11u, h.Cpu.Eip);
        Assert.Equal(RealStack - 4, h.Cpu.R[Reg.Esp]);
        Assert.Equal(0x0000, h.Machine.Memory.Read16(RealStack - 2));  // CS
        Assert.Equal(RealCode + 14, h.Machine.Memory.Read16(RealStack - 4)); // IP after the call: 9-byte prologue, MOV SI, 2-byte CALL
    }

    [Fact]
    public void RealMode_JmpFarThroughAnM1616Pointer_TakesTheSelectorAtPlus2()
    {
        var h = RealMode(c =>
        {
            c.mov(si, (ushort)FarPointer);
            c.jmp(__dword_ptr[si]);
        });
        h.Machine.Memory.Write16(FarPointer, 0x0010);
        h.Machine.Memory.Write16(FarPointer + 2, 0x0800);
        h.Machine.Memory.Write16(FarPointer + 4, 0x1234);
        h.Machine.Memory.Write8(0x8010, 0xF4);
        RunToHalt(h);
        Assert.Equal(0x0800, h.Cpu.Seg[SegReg.Cs].Selector);
        Assert.Equal(0x11u, h.Cpu.Eip);
        Assert.Equal(RealStack, h.Cpu.R[Reg.Esp]);
    }

    [Fact]
    public void RealMode_CallFarThroughAnM1632Pointer_TakesTheSelectorAtPlus4_AndPushesTwoDwords()
    {
        // 66 FF 1C: call far [si] with a 32-bit operand size (m16:32).
        var h = RealMode(c =>
        {
            c.mov(si, (ushort)FarPointer);
            c.call(__fword_ptr[si]);
        });
        h.Machine.Memory.Write32(FarPointer, 0x0000_0010);
        h.Machine.Memory.Write16(FarPointer + 4, 0x0800);
        h.Machine.Memory.Write8(0x8010, 0xF4);
        RunToHalt(h);
        Assert.Equal(0x0800, h.Cpu.Seg[SegReg.Cs].Selector);
        Assert.Equal(RealStack - 8, h.Cpu.R[Reg.Esp]);
        Assert.Equal(0u, h.Machine.Memory.Read32(RealStack - 4));                 // CS, zero-extended
        Assert.Equal(RealCode + 15, h.Machine.Memory.Read32(RealStack - 8));      // EIP after the 3-byte call
    }

    [Fact]
    public void Code32_CallFarThroughAnM1616PointerWithAnOperandSizePrefix_PushesTwoWords()
    {
        var h = new CpuHarness();
        h.Machine.Memory.Write16(0x20000, 0x9000); // offset
        h.Machine.Memory.Write16(0x20002, 0x0008); // selector: flat ring-0 code
        h.Machine.Memory.Write16(0x20004, 0x4321); // decoy for an m16:32 reading
        h.Machine.Memory.Write8(0x9000, 0xF4);
        h.Code(c => c.db(0x66, 0xFF, 0x1D, 0x00, 0x00, 0x02, 0x00)); // call far word [0x20000] (m16:16)
        RunToHalt(h);
        Assert.Equal(0x9001u, h.Cpu.Eip);
        Assert.Equal(CpuHarness.StackTop - 4, h.Cpu.R[Reg.Esp]);
        Assert.Equal(0x0008, h.Machine.Memory.Read16(CpuHarness.StackTop - 2));
        Assert.Equal((CpuHarness.CodeBase + 7) & 0xFFFF, h.Machine.Memory.Read16(CpuHarness.StackTop - 4)); // the return offset, truncated to 16 bits
    }

    [Fact]
    public void ProtectedMode16_CallFarThroughAnM1616Pointer_PushesTwoWords()
    {
        var h = new CpuHarness();
        h.WriteDescriptor(6, 0x0000_9A00_0000_FFFFul); // 0x30: 16-bit code, base 0, 64 KiB
        var a16 = new Assembler(16);
        a16.mov(si, 0x7000);
        a16.call(__dword_ptr[si]);
        a16.hlt();
        using var ms = new MemoryStream();
        a16.Assemble(new StreamCodeWriter(ms), 0x8000);
        h.Machine.Memory.WriteBytes(0x8000, ms.ToArray());
        h.Machine.Memory.Write16(0x7000, 0x9000);
        h.Machine.Memory.Write16(0x7002, 0x0030);
        h.Machine.Memory.Write16(0x7004, 0x0008);
        h.Machine.Memory.Write8(0x9000, 0xF4);
        h.Code(c => c.jmp(0x30, 0x8000));
        RunToHalt(h);
        Assert.Equal(0x30, h.Cpu.Seg[SegReg.Cs].Selector);
        Assert.Equal(0x9001u, h.Cpu.Eip);
        Assert.Equal(CpuHarness.StackTop - 4, h.Cpu.R[Reg.Esp]);
        Assert.Equal(0x0030, h.Machine.Memory.Read16(CpuHarness.StackTop - 2));
        Assert.Equal(0x8005, h.Machine.Memory.Read16(CpuHarness.StackTop - 4));
    }

    [Fact]
    public void RealMode_IretdToAnOffsetAbove64K_IsGp0_BeforeAnythingIsPopped()
    {
        var h = RealMode(c =>
        {
            PushD(c, 0x0002);      // EFLAGS, CS, EIP
            PushD(c, 0x0800);
            PushD(c, 0x0001_0010);
            c.iretd();
        });
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), (f.Vector, f.Error));
        Assert.Equal((ushort)0, f.Cs);
        Assert.Equal(RealCode + 9 + 18, f.Eip); // the IRETD itself, after the prologue and three 6-byte pushes
        Assert.Equal(RealStack - 12, f.Esp);     // nothing popped
    }

    [Fact]
    public void RealMode_RetfWith32BitOperandToAnOffsetAbove64K_IsGp0_BeforeAnythingIsPopped()
    {
        var h = RealMode(c =>
        {
            PushD(c, 0x0800);
            PushD(c, 0x0002_0000);
            c.db(0x66, 0xCB); // retfd
        });
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), (f.Vector, f.Error));
        Assert.Equal((ushort)0, f.Cs);
        Assert.Equal(RealStack - 8, f.Esp);
    }

    [Fact]
    public void RealMode_JmpFarPtr1632AboveTheLimit_IsGp0AtTheJump()
    {
        var h = RealMode(c => c.db(0x66, 0xEA, 0x00, 0x00, 0x01, 0x00, 0x00, 0x08)); // jmp 0800:00010000
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), (f.Vector, f.Error));
        Assert.Equal((ushort)0, f.Cs);
        Assert.Equal(RealCode + 9, f.Eip);
    }

    [Fact]
    public void RealMode_CallFarPtr1632AboveTheLimit_IsGp0_AndPushesNothing()
    {
        var h = RealMode(c => c.db(0x66, 0x9A, 0x00, 0x00, 0x01, 0x00, 0x00, 0x08)); // call 0800:00010000
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), (f.Vector, f.Error));
        Assert.Equal((ushort)0, f.Cs);
        Assert.Equal(RealStack, f.Esp);
    }

    [Fact]
    public void Vm86_IretdToAnOffsetAbove64K_IsGp0_NotTruncated()
    {
        var h = new CpuHarness();
        h.InstallTss();
        // 8086 code at 3000:0000 (IOPL 3, so IRET is allowed): an IRETD whose EIP has bit 16 set.
        var v = new Assembler(16);
        PushD(v, 0x0002_3002); // EFLAGS image (VM and IOPL are not popped in virtual-8086 mode)
        PushD(v, 0x3000);
        PushD(v, 0x0001_0040);
        v.iretd();
        v.hlt();
        using var ms = new MemoryStream();
        v.Assemble(new StreamCodeWriter(ms), 0x30000);
        h.Machine.Memory.WriteBytes(0x30000, ms.ToArray());
        h.Machine.Memory.Write8(0x30040, 0xF4);
        h.Code(c =>
        {
            c.mov(eax, 0x28);
            c.ltr(ax);
            foreach (uint s in new uint[] { 0, 0, 0, 0, 0x4000, 0x1000, 0x0002_3002, 0x3000, 0 }) // GS FS DS ES SS ESP EFLAGS CS EIP
            {
                c.push(s);
            }
            c.iretd();
        });
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), (f.Vector, f.Error));
        Assert.Equal((ushort)0x3000, f.Cs);
        Assert.Equal(18u, f.Eip);           // the IRETD, after three 6-byte pushes
        Assert.Equal(0x1000u - 12, f.Esp);  // nothing popped
    }

    [Fact]
    public void Enter32OnA16BitStack_SetsEbpToTheWholeEsp()
    {
        // SDM ENTER: with a 32-bit operand size FrameTemp is ESP (the upper half a 16-bit stack leaves alone included).
        var h = RealMode(c =>
        {
            c.mov(esp, 0x1234_0000u + RealStack);
            c.mov(ebp, 0x5555_6000u);
            c.db(0x66, 0xC8, 0x08, 0x00, 0x01); // enterd 8, 1
        });
        RunToHalt(h);
        Assert.Equal(0x1234_0000u + RealStack - 4, h.Cpu.R[Reg.Ebp]);
        Assert.Equal(0x1234_0000u + RealStack - 4, h.Machine.Memory.Read32(RealStack - 8)); // the frame pointer pushed for level 1
        Assert.Equal(0x5555_6000u, h.Machine.Memory.Read32(RealStack - 4));
        Assert.Equal(0x1234_0000u + RealStack - 16, h.Cpu.R[Reg.Esp]);
    }

    /// <summary>Real mode at 1000:<paramref name="ip"/> over <paramref name="code"/> placed there, every interrupt vector at a HLT.</summary>
    private static CpuHarness RealModeAt(ushort ip, byte[] code)
    {
        var h = new CpuHarness(protectedMode: false);
        for (uint v = 0; v < 256; v++)
        {
            h.Machine.Memory.Write32(v * 4, Halt);
        }
        h.Machine.Memory.Write8(Halt, 0xF4);
        h.Machine.Memory.Write8(0x10000, 0x41); // inc cx at 1000:0000, where an 8086 would wrap to
        h.Machine.Memory.WriteBytes(0x10000 + (uint)ip, code);
        h.Cpu.JumpRealMode(0x1000, ip);
        return h;
    }

    [Fact]
    public void RealMode_SequentialExecutionPastOffsetFFFF_IsGp0_NotAWrapToZero()
    {
        // 80386 manual 14.7 (8): an 8086 fetches the next byte from offset 0; the 80386 and later raise exception 13 there.
        var h = RealModeAt(0xFFFF, new byte[] { 0x40 }); // inc ax
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), (f.Vector, f.Error));
        Assert.Equal((ushort)0x1000, f.Cs);
        Assert.Equal(0x1_0000u, f.Eip);
        Assert.Equal(1u, h.Eax & 0xFFFF);
        Assert.Equal(0u, h.Ecx & 0xFFFF);
    }

    [Fact]
    public void RealMode_AnInstructionCrossingOffsetFFFF_IsGp0_Unexecuted()
    {
        var h = RealModeAt(0xFFFE, new byte[] { 0xB8, 0x34 }); // mov ax, 12xx: its last byte would be at 1000:10000
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.GeneralProtection, 0), (f.Vector, f.Error));
        Assert.Equal(0xFFFEu, f.Eip);
        Assert.Equal(0u, h.Eax & 0xFFFF);
    }

    /// <summary>A protected-mode harness whose SS (0x28) is a 32-bit expand-up data segment with a 4 KiB limit.</summary>
    private static CpuHarness SmallStack(uint top, Action<Assembler> build)
    {
        var h = new CpuHarness();
        h.WriteDescriptor(5, 0x0040_9200_0000_0FFFul);
        h.Code(c =>
        {
            c.mov(eax, 0x28);
            c.mov(ss, ax);
            c.mov(esp, top);
            build(c);
        });
        return h;
    }

    [Fact]
    public void Pusha_FaultingPartWay_LeavesEspAsItWas()
    {
        // Four dwords fit below ESP = 0x10; the fifth wraps past the limit: #SS(0) with ESP unchanged.
        var h = SmallStack(0x10, c => c.pushad());
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.StackFault, 0), (f.Vector, f.Error));
        Assert.Equal(0x10u, f.Esp);
    }

    [Fact]
    public void Popa_FaultingPartWay_ChangesNoRegister()
    {
        // ESP = 0xFF0: the fifth dword is beyond the 0xFFF limit.
        var h = SmallStack(0xFF0, c =>
        {
            c.mov(edi, 0x1111_1111u);
            c.mov(esi, 0x2222_2222u);
            c.popad();
        });
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.StackFault, 0), (f.Vector, f.Error));
        Assert.Equal(0xFF0u, f.Esp);
        Assert.Equal(0x1111_1111u, h.Cpu.R[Reg.Edi]);
        Assert.Equal(0x2222_2222u, h.Cpu.R[Reg.Esi]);
    }

    [Fact]
    public void Enter_WhoseFrameDoesNotFit_FaultsWithEspAsItWas()
    {
        var h = SmallStack(0x800, c => c.enter(0x2000, 0));
        var f = RunToFaultState(h);
        Assert.Equal((ExceptionVectors.StackFault, 0), (f.Vector, f.Error));
        Assert.Equal(0x800u, f.Esp);
    }

    // ---- POP SS, MOV SS and LSS between 16- and 32-bit stack segments (issue 14, finding 2) ----

    private const ulong Stack16Descriptor = 0x0000_9200_0000_FFFFul; // 0x28: data, base 0, limit 0xFFFF, B = 0

    [Fact]
    public void PopSsWith32BitOperand_FromA16BitStackIntoA32BitSegment_StepsSpNotEsp()
    {
        // SS:SP = 0028:FFFC (B = 0), upper ESP bits set: the pop reads the selector at 0xFFFC and SP wraps to 0.
        var h = new CpuHarness();
        h.WriteDescriptor(5, Stack16Descriptor);
        h.Machine.Memory.Write32(0xFFFC, 0x10);
        h.Code(c =>
        {
            c.mov(eax, 0x28);
            c.mov(ss, ax);
            c.mov(esp, 0xABCD_FFFCu);
            c.pop(ss); // 32-bit code: popd ss
        });
        RunToHalt(h);
        Assert.Equal(0x10, h.Cpu.Seg[SegReg.Ss].Selector);
        Assert.True(h.Cpu.Seg[SegReg.Ss].Big);
        Assert.Equal(0xABCD_0000u, h.Cpu.R[Reg.Esp]);
    }

    [Fact]
    public void PopSs_FromA32BitStackIntoA16BitSegment_StepsTheWholeEsp()
    {
        var h = new CpuHarness();
        h.WriteDescriptor(5, Stack16Descriptor);
        h.Machine.Memory.Write32(0x1FFFC, 0x28);
        h.Code(c =>
        {
            c.mov(esp, 0x0001_FFFCu);
            c.pop(ss);
        });
        RunToHalt(h);
        Assert.Equal(0x28, h.Cpu.Seg[SegReg.Ss].Selector);
        Assert.False(h.Cpu.Seg[SegReg.Ss].Big);
        Assert.Equal(0x0002_0000u, h.Cpu.R[Reg.Esp]);
    }

    [Fact]
    public void PopSsWith16BitOperand_InA16BitCodeSegment_StepsSpByTwo()
    {
        var h = new CpuHarness();
        h.WriteDescriptor(5, Stack16Descriptor);
        h.WriteDescriptor(6, 0x0000_9A00_0000_FFFFul); // 0x30: 16-bit code
        var a16 = new Assembler(16);
        a16.pop(ss);
        a16.hlt();
        using var ms = new MemoryStream();
        a16.Assemble(new StreamCodeWriter(ms), 0x8000);
        h.Machine.Memory.WriteBytes(0x8000, ms.ToArray());
        h.Machine.Memory.Write16(0xFFFE, 0x10);
        h.Code(c =>
        {
            c.mov(eax, 0x28);
            c.mov(ss, ax);
            c.mov(esp, 0x7777_FFFEu);
            c.jmp(0x30, 0x8000);
        });
        RunToHalt(h);
        Assert.Equal(0x10, h.Cpu.Seg[SegReg.Ss].Selector);
        Assert.Equal(0x7777_0000u, h.Cpu.R[Reg.Esp]);
    }

    [Fact]
    public void MovSsAndLss_LeaveTheStackPointerToTheInstruction()
    {
        // MOV SS changes no stack pointer; LSS with a 16-bit operand loads SP only, with a 32-bit one all of ESP.
        var h = new CpuHarness();
        h.WriteDescriptor(5, Stack16Descriptor);
        h.Machine.Memory.Write16(0x20000, 0x4444);
        h.Machine.Memory.Write16(0x20002, 0x28);
        h.Machine.Memory.Write32(0x20010, 0x0003_0000);
        h.Machine.Memory.Write16(0x20014, 0x10);
        h.Code(c =>
        {
            c.mov(esp, 0x9999_0100u);
            c.mov(eax, 0x28);
            c.mov(ss, ax);
            c.mov(__dword_ptr[0x20020], esp);
            c.lss(sp, __dword_ptr[0x20000]);
            c.mov(__dword_ptr[0x20024], esp);
            c.lss(esp, __fword_ptr[0x20010]);
        });
        RunToHalt(h);
        Assert.Equal(0x9999_0100u, h.Machine.Memory.Read32(0x20020));
        Assert.Equal(0x9999_4444u, h.Machine.Memory.Read32(0x20024));
        Assert.Equal(0x0003_0000u, h.Cpu.R[Reg.Esp]);
        Assert.Equal(0x10, h.Cpu.Seg[SegReg.Ss].Selector);
    }
}
