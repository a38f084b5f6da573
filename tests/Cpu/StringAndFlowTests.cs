using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>String instructions with REP prefixes and both directions, and near control flow.</summary>
public sealed class StringAndFlowTests
{
    [Fact]
    public void RepMovsb_CopiesForward_AndLeavesPointersPastTheEnd()
    {
        var h = new CpuHarness();
        h.Machine.Memory.WriteBytes(0x20000, "hello, world"u8);
        h.Code(c =>
        {
            c.cld();
            c.mov(esi, 0x20000);
            c.mov(edi, 0x21000);
            c.mov(ecx, 12);
            c.rep.movsb();
        }).RunToEnd();
        var buf = new byte[12];
        h.Machine.Memory.ReadBytes(0x21000, buf);
        Assert.Equal("hello, world", System.Text.Encoding.ASCII.GetString(buf));
        Assert.Equal(0u, h.Ecx);
        Assert.Equal(0x2000Cu, h.Cpu.R[Reg.Esi]);
        Assert.Equal(0x2100Cu, h.Cpu.R[Reg.Edi]);
    }

    [Fact]
    public void RepStosd_Backward_WithDf()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.std();
            c.mov(edi, 0x2000C);
            c.mov(ecx, 4);
            c.mov(eax, 0xA5A5_A5A5);
            c.rep.stosd();
            c.cld();
        }).RunToEnd();
        for (uint a = 0x20000; a <= 0x2000C; a += 4)
        {
            Assert.Equal(0xA5A5_A5A5u, h.Machine.Memory.Read32(a));
        }
        Assert.Equal(0x1FFFCu, h.Cpu.R[Reg.Edi]);
    }

    [Fact]
    public void RepeCmpsb_StopsAtTheFirstDifference()
    {
        var h = new CpuHarness();
        h.Machine.Memory.WriteBytes(0x20000, "abcdef"u8);
        h.Machine.Memory.WriteBytes(0x21000, "abcxef"u8);
        h.Code(c =>
        {
            c.cld();
            c.mov(esi, 0x20000);
            c.mov(edi, 0x21000);
            c.mov(ecx, 6);
            c.repe.cmpsb();
        }).RunToEnd();
        Assert.Equal(2u, h.Ecx);                 // stopped after comparing the 4th byte
        Assert.Equal(0x20004u, h.Cpu.R[Reg.Esi]);
        Assert.True((h.Flags & EFlags.ZF) == 0);
    }

    [Fact]
    public void RepneScasb_With16BitAddressing_UsesCxAndDi()
    {
        var h = new CpuHarness();
        h.Machine.Memory.WriteBytes(0x0100, "xyz!"u8);
        h.Code(c =>
        {
            c.cld();
            c.mov(edi, 0xFFFF_0100);  // the high half is ignored with a 16-bit address size
            c.mov(ecx, 0xFFFF_0010);
            c.mov(eax, '!');
            c.db(0x67);               // address-size prefix: DI and CX
            c.repne.scasb();
        }).RunToEnd();
        Assert.Equal(0xFFFF_0104u, h.Cpu.R[Reg.Edi]);
        Assert.Equal(0xFFFF_000Cu, h.Ecx);
    }

    [Fact]
    public void RepMovs_FaultPartWay_LeavesRegistersAtTheFaultingElement()
    {
        // The page at 0x20000 is not mapped: the copy runs into it.
        var h = new CpuHarness();
        var paging = new PagingFixture(h);
        paging.Unmap(0x20000);
        paging.Enable();
        h.Code(c =>
        {
            c.cld();
            c.mov(esi, 0x10800);
            c.mov(edi, 0x1FFF0);
            c.mov(ecx, 64);
            c.rep.movsb();
        });
        var (v, code) = h.RunToFault();
        Assert.Equal(ExceptionVectors.PageFault, v);
        Assert.Equal(2, code);                   // not present, write, supervisor
        Assert.Equal(0x20000u, h.Cpu.Cr2);
        Assert.Equal(48u, h.Ecx);                // 16 bytes were copied before the fault
        Assert.Equal(0x20000u, h.Cpu.R[Reg.Edi]);
    }

    [Fact]
    public void CallRet_WithImmediate_AndIndirectCall()
    {
        var h = new CpuHarness().Code(c =>
        {
            var f = c.CreateLabel();
            var done = c.CreateLabel();
            c.push(7);
            c.call(f);
            c.mov(ebx, eax);
            c.mov(edx, 0x18000);
            c.call(edx);
            c.jmp(done);
            c.Label(ref f);
            c.mov(eax, __dword_ptr[esp + 4]);
            c.ret(4);
            c.Label(ref done);
        });
        h.Place(0x18000, c =>
        {
            c.mov(ecx, 0x55);
            c.ret();
        }).RunToEnd();
        Assert.Equal(7u, h.Ebx);
        Assert.Equal(0x55u, h.Ecx);
        Assert.Equal(CpuHarness.StackTop, h.Cpu.R[Reg.Esp]);
    }

    [Fact]
    public void Loop_Loopne_Jecxz()
    {
        var h = new CpuHarness().Code(c =>
        {
            var top = c.CreateLabel();
            var skip = c.CreateLabel();
            var top2 = c.CreateLabel();
            c.xor(eax, eax);
            c.mov(ecx, 10);
            c.Label(ref top);
            c.inc(eax);
            c.loop(top);
            c.jecxz(skip);
            c.mov(eax, 0xBAD);
            c.Label(ref skip);
            c.mov(ecx, 100);
            c.xor(ebx, ebx);
            c.Label(ref top2);
            c.inc(ebx);
            c.cmp(ebx, 5);
            c.loopne(top2);
        }).RunToEnd();
        Assert.Equal(10u, h.Eax);
        Assert.Equal(5u, h.Ebx);
        Assert.Equal(95u, h.Ecx);
    }

    [Fact]
    public void EnterLeave_NestedFrameCopiesDisplayPointers()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(ebp, 0x7F000);
            c.mov(__dword_ptr[0x7EFFC], 0x1111); // the outer display entry
            c.enter(16, 2);
            c.mov(eax, ebp);
            c.mov(ebx, esp);
            c.mov(ecx, __dword_ptr[ebp - 4]);   // copied display pointer
            c.mov(edx, __dword_ptr[ebp - 8]);   // the new frame pointer itself
            c.leave();
        }).RunToEnd();
        Assert.Equal(CpuHarness.StackTop - 4, h.Eax);
        Assert.Equal(CpuHarness.StackTop - 4 - 8 - 16, h.Ebx);
        Assert.Equal(0x1111u, h.Ecx);
        Assert.Equal(CpuHarness.StackTop - 4, h.Edx);
        Assert.Equal(CpuHarness.StackTop, h.Cpu.R[Reg.Esp]);
        Assert.Equal(0x7F000u, h.Cpu.R[Reg.Ebp]);
    }

    [Fact]
    public void PushPopEsp_AndPushadPopad()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.push(esp);
            c.pop(eax);          // the value before the push
            c.mov(ebx, 0x1234);
            c.pushad();
            c.mov(ebx, 0);
            c.popad();
        }).RunToEnd();
        Assert.Equal(CpuHarness.StackTop, h.Eax);
        Assert.Equal(0x1234u, h.Ebx);
        Assert.Equal(CpuHarness.StackTop, h.Cpu.R[Reg.Esp]);
    }

    [Fact]
    public void SelfModifyingCode_SeesTheNewInstruction()
    {
        // The code patches the immediate of an instruction it then executes, in the same page.
        var h = new CpuHarness().Code(c =>
        {
            var here = c.CreateLabel();
            var top = c.CreateLabel();
            c.xor(ebx, ebx);
            c.mov(ecx, 3);
            c.call(here);
            c.Label(ref here);
            c.pop(edx);                          // EDX = this POP; the MOV below starts at EDX+1
            c.Label(ref top);
            c.mov(eax, 1);                       // B8 imm32: the immediate is patched below
            c.add(ebx, eax);
            c.add(__dword_ptr[edx + 2], 10);     // next pass: mov eax, 11, then 21
            c.loop(top);
        }).RunToEnd();
        Assert.Equal(1u + 11 + 21, h.Ebx);
        Assert.True(h.Cpu.BlocksInvalidated >= 2);
    }
    [Fact]
    public void StoresBesideCode_KeepTheTranslation()
    {
        // A loop storing to a variable on its own code's page (a small kernel's data right after
        // its text): the store touches no decoded byte, so nothing is invalidated or decoded again
        // (issue 14, finding 8: each store threw the page's blocks away).
        const uint variable = CpuHarness.CodeBase + 0x800;
        var h = new CpuHarness().Code(c =>
        {
            var top = c.CreateLabel();
            c.mov(esi, 1000);
            c.Label(ref top);
            c.mov(eax, 1);
            c.cpuid();
            c.mov(__dword_ptr[variable], esi);
            c.dec(esi);
            c.jnz(top);
        }).RunToEnd();
        Assert.Equal(1u, h.Machine.Memory.Read32(variable));
        Assert.Equal(0, h.Cpu.BlocksInvalidated);
        Assert.InRange(h.Cpu.BlocksDecoded, 1, 5);
    }

    [Fact]
    public void AStoreToTheNextInstructionOfTheSameBlock_IsSeen()
    {
        // The store patches the immediate of the instruction right after it, in the block that is running.
        var h = new CpuHarness().Code(c =>
        {
            var here = c.CreateLabel();
            c.call(here);
            c.Label(ref here);
            c.pop(edx);                          // EDX = this POP (1 byte)
            c.mov(__byte_ptr[edx + 6], 7);       // C6 42 06 07 (4 bytes), then B8 imm32: its immediate is at EDX+6
            c.mov(eax, 1);
        }).RunToEnd();
        Assert.Equal(7u, h.Eax);
    }

    [Fact]
    public void AStoreToTheSecondPageOfAnInstructionCrossingPages_IsSeen()
    {
        // MOV EAX, imm32 whose immediate starts on the next page: patching it there must invalidate the block.
        const uint mov = CpuHarness.CodeBase + 0x1000 - 2; // B8 xx | xx xx xx on the next page
        var h = new CpuHarness();
        h.Place(mov, c =>
        {
            c.mov(eax, 0x11111111);
            c.hlt();
        });
        h.Code(c =>
        {
            var top = c.CreateLabel();
            c.mov(ecx, 2);
            c.Label(ref top);
            c.push(ecx);
            c.call(mov);                          // returns through the RET written below
            c.pop(ecx);
            c.mov(__byte_ptr[mov + 3], 0x22);     // the immediate's third byte, on the second page
            c.dec(ecx);
            c.jnz(top);
        });
        h.Machine.Memory.Write8(mov + 5, 0xC3);   // RET instead of the HLT
        h.RunToEnd();
        Assert.Equal(0x11221111u, h.Eax);
    }
    /// <summary>
    /// REP OUTSB/OUTSW/OUTSD move one element of their own size per port access: OUTSD took its
    /// size from DX (two bytes), so xv6's <c>rep outsl</c> of a 512-byte sector to the IDE data
    /// port wrote 128 words and the WRITE never completed (issue 14, finding 10). INS checked too.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void RepOutsAndIns_AccessThePortWithTheElementSize(int size)
    {
        var h = new CpuHarness();
        h.Machine.Memory.WriteBytes(0x20000, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
        var port = new RecordingPort();
        h.Machine.Io.Register(0x1F0, 1, port);
        h.Code(c =>
        {
            c.cld();
            c.mov(dx, 0x1F0);
            c.mov(esi, 0x20000);
            c.mov(ecx, 16 / size);
            switch (size)
            {
                case 1: c.rep.outsb(); break;
                case 2: c.rep.outsw(); break;
                default: c.rep.outsd(); break;
            }
            c.mov(edi, 0x21000);
            c.mov(ecx, 16 / size);
            switch (size)
            {
                case 1: c.rep.insb(); break;
                case 2: c.rep.insw(); break;
                default: c.rep.insd(); break;
            }
        }).RunToEnd();
        Assert.Equal(Enumerable.Repeat(size, 16 / size), port.WriteSizes);
        Assert.Equal(Enumerable.Repeat(size, 16 / size), port.ReadSizes);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (byte)i), port.Bytes);
        Assert.Equal(0x20010u, h.Cpu.R[Reg.Esi]);
        Assert.Equal(0x21010u, h.Cpu.R[Reg.Edi]);
        var back = new byte[16];
        h.Machine.Memory.ReadBytes(0x21000, back);
        Assert.Equal(port.Bytes, back); // INS reads back what OUTS wrote, element by element
    }

    /// <summary>A port that records the size of every access and plays written bytes back in order.</summary>
    private sealed class RecordingPort : Emulator.Io.IPortDevice
    {
        private int _readAt;

        public List<int> WriteSizes { get; } = new();

        public List<int> ReadSizes { get; } = new();

        public List<byte> Bytes { get; } = new();

        public uint Read(ushort port, int size)
        {
            ReadSizes.Add(size);
            uint v = 0;
            for (int i = 0; i < size; i++)
            {
                v |= (uint)(_readAt < Bytes.Count ? Bytes[_readAt] : 0xFF) << (8 * i);
                _readAt++;
            }
            return v;
        }

        public void Write(ushort port, int size, uint value)
        {
            WriteSizes.Add(size);
            for (int i = 0; i < size; i++)
            {
                Bytes.Add((byte)(value >> (8 * i)));
            }
        }
    }
}
