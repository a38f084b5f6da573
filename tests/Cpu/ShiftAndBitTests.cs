using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>Shifts, rotates, SHLD/SHRD and the bit instructions: count masking, CF/OF rules, memory bit offsets.</summary>
public sealed class ShiftAndBitTests
{
    [Fact]
    public void Shl_CountIsMaskedTo5Bits_AndCountZeroKeepsFlags()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 1);
            c.mov(ecx, 33);   // masked to 1
            c.shl(eax, cl);
            c.mov(ebx, eax);
            c.stc();
            c.mov(ecx, 32);   // masked to 0: no change at all
            c.shl(eax, cl);
        }).RunToEnd();
        Assert.Equal(2u, h.Ebx);
        Assert.Equal(2u, h.Eax);
        Assert.True((h.Flags & EFlags.CF) != 0, "a zero count must leave CF as it was");
    }

    [Fact]
    public void Shl1_SetsOverflowWhenTheSignChanges()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x4000_0000);
            c.shl(eax, 1);
        }).RunToEnd();
        Assert.Equal(0x8000_0000u, h.Eax);
        Assert.Equal("PF SF OF", CpuHarness.StatusFlags(h.Flags, EFlags.Arith & ~EFlags.AF));
    }

    [Fact]
    public void Sar_FillsWithTheSign_AndCfIsTheLastBitOut()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x8000_0003);
            c.sar(eax, 2);
        }).RunToEnd();
        Assert.Equal(0xE000_0000u, h.Eax);
        Assert.True((h.Flags & EFlags.CF) != 0);
    }

    [Fact]
    public void Rcl8_RotatesThroughCarryModulo9()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x81);
            c.stc();
            c.mov(ecx, 9);    // 9 mod 9 = 0: nothing changes
            c.rcl(al, cl);
            c.mov(ebx, eax);
            c.rcl(al, 1);     // CF(1) enters bit 0, bit 7 leaves into CF
        }).RunToEnd();
        Assert.Equal(0x81u, h.Ebx & 0xFF);
        Assert.Equal(0x03u, h.Eax & 0xFF);
        Assert.True((h.Flags & EFlags.CF) != 0);
        Assert.True((h.Flags & EFlags.OF) != 0, "OF = MSB(result) XOR CF = 0 XOR 1");
    }

    [Fact]
    public void Ror_CfIsTheNewMsb()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 1);
            c.ror(eax, 1);
        }).RunToEnd();
        Assert.Equal(0x8000_0000u, h.Eax);
        Assert.Equal("CF OF", CpuHarness.StatusFlags(h.Flags, EFlags.CF | EFlags.OF));
    }

    [Fact]
    public void ShldShrd_32Bit()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x1234_5678);
            c.mov(ebx, 0x9ABC_DEF0);
            c.shld(eax, ebx, 8);
            c.mov(ecx, 0x1234_5678);
            c.shrd(ecx, ebx, 4);
        }).RunToEnd();
        Assert.Equal(0x3456_789Au, h.Eax);
        Assert.Equal(0x0123_4567u, h.Ecx);
    }

    [Fact]
    public void Bt_WithNegativeRegisterOffset_AddressesMemoryBelowTheOperand()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(__dword_ptr[0x20000], 0);
            c.mov(__dword_ptr[0x20004], 0);
            c.mov(eax, -1);                         // bit -1 = bit 31 of the dword below
            c.bts(__dword_ptr[0x20004], eax);
            c.setc(bl);
            c.bt(__dword_ptr[0x20004], eax);
            c.setc(bh);
        }).RunToEnd();
        Assert.Equal(0x8000_0000u, h.Machine.Memory.Read32(0x20000));
        Assert.Equal(0u, h.Machine.Memory.Read32(0x20004));
        Assert.Equal(0x0100u, h.Ebx & 0xFFFF);
    }

    [Fact]
    public void BsfBsr_ZeroSourceSetsZfAndLeavesTheDestination()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x0001_0100);
            c.bsf(ebx, eax);
            c.bsr(ecx, eax);
            c.mov(edx, 0x5555);
            c.xor(eax, eax);
            c.bsf(edx, eax);
        }).RunToEnd();
        Assert.Equal(8u, h.Ebx);
        Assert.Equal(16u, h.Ecx);
        Assert.Equal(0x5555u, h.Edx);
        Assert.True((h.Flags & EFlags.ZF) != 0);
    }

    [Fact]
    public void Bswap_SetccCmov()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x1122_3344);
            c.bswap(eax);
            c.mov(ebx, 5);
            c.cmp(ebx, 7);
            c.setl(cl);
            c.setb(ch);
            c.mov(edx, 1);
            c.cmovg(edx, ebx); // not taken
            c.cmovle(ebx, eax);
        }).RunToEnd();
        Assert.Equal(0x4433_2211u, h.Eax);
        Assert.Equal(0x0101u, h.Ecx & 0xFFFF);
        Assert.Equal(1u, h.Edx);
        Assert.Equal(0x4433_2211u, h.Ebx);
    }
}
