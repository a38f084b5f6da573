using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// Instruction fetch at the end of a page. Decoding a block looks at the next page's bytes in
/// case the last instruction crosses into it; that look must change nothing the guest can see
/// (CR2, accessed bits, the TLB), because whether a block is decoded at a given moment depends
/// on the block cache, which a machine resumed from a snapshot starts empty: the real MINIX
/// resumed 300 M instructions into its boot had a different CR2 a million instructions later
/// and ran one tick off for 1.8 M more. An instruction that does cross fetches its second page
/// at every execution, as the CPU does, not only when it was decoded.
/// </summary>
public sealed class PageEndFetchTests
{
    private const uint NextPage = 0x31000;

    [Fact]
    public void ABlockEndingAtAPageEnd_LeavesTheNextPageUntouched()
    {
        foreach (bool present in new[] { false, true })
        {
            var h = new CpuHarness();
            var p = new PagingFixture(h);
            p.SetPte(NextPage, present ? 0x7u : 0u); // accessed bit clear either way
            p.Enable();
            // Twelve NOPs and a RET end exactly at the page's end: each of them is within 15 bytes of it.
            h.Place(NextPage - 13, a =>
            {
                for (int i = 0; i < 12; i++)
                {
                    a.nop();
                }
                a.ret();
            });
            h.Code(c => c.call(NextPage - 13)).RunToEnd();
            Assert.Equal(0u, h.Cpu.Cr2);
            Assert.Equal(0L, h.Cpu.Counters.PageFaults);
            Assert.Equal(0u, p.Pte(NextPage) & 0x20);
        }
    }

    [Fact]
    public void AnInstructionCrossingPages_FetchesItsSecondPageEveryTime()
    {
        var h = new CpuHarness();
        var p = new PagingFixture(h);
        p.Enable();
        // mov eax, imm32 at the page's last two bytes: the immediate's top three bytes are on the next page.
        h.Place(NextPage - 2, a =>
        {
            a.mov(eax, 0x11223344);
            a.ret();
        });
        h.Machine.Memory.WriteBytes(0x32000, [0xAA, 0xBB, 0xCC, 0xC3]); // the same instruction's tail on another page, then RET
        h.Code(c =>
        {
            c.call(NextPage - 2);
            c.mov(ebx, eax);
            c.mov(__dword_ptr[PagingFixture.Table + (NextPage >> 12) * 4], 0x32007); // the next page now maps 0x32000
            c.invlpg(__byte_ptr[NextPage]);
            c.call(NextPage - 2);
            c.mov(ecx, eax);
            c.mov(__dword_ptr[PagingFixture.Table + (NextPage >> 12) * 4], 0); // and now nothing
            c.invlpg(__byte_ptr[NextPage]);
            c.call(NextPage - 2);
        });
        Assert.Equal((ExceptionVectors.PageFault, 0), h.RunToFault()); // not present, read, supervisor
        Assert.Equal(NextPage, h.Cpu.Cr2);
        Assert.Equal(0x11223344u, h.Ebx);
        Assert.Equal(0xCCBBAA44u, h.Ecx);
    }
}
