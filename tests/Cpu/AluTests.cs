using Iced.Intel;
using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>Group-1 ALU, INC/DEC/NEG: results and all six status flags on SDM edge cases.</summary>
public sealed class AluTests
{
    private static (uint Result, string Flags) Run32(string op, uint a, uint b, bool carryIn = false)
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, a);
            c.mov(ebx, b);
            if (carryIn) c.stc(); else c.clc();
            switch (op)
            {
                case "add": c.add(eax, ebx); break;
                case "adc": c.adc(eax, ebx); break;
                case "sub": c.sub(eax, ebx); break;
                case "sbb": c.sbb(eax, ebx); break;
                case "cmp": c.cmp(eax, ebx); break;
                case "and": c.and(eax, ebx); break;
                case "xor": c.xor(eax, ebx); break;
                case "inc": c.inc(eax); break;
                case "dec": c.dec(eax); break;
                case "neg": c.neg(eax); break;
                default: throw new ArgumentException(op);
            }
        }).RunToEnd();
        return (h.Eax, CpuHarness.StatusFlags(h.Flags, op is "and" or "xor" ? EFlags.Arith & ~EFlags.AF : EFlags.Arith));
    }

    [Theory]
    [InlineData("add", 0x7FFF_FFFFu, 1u, false, 0x8000_0000u, "PF AF SF OF")]   // signed overflow
    [InlineData("add", 0xFFFF_FFFFu, 1u, false, 0u, "CF PF AF ZF")]            // unsigned wrap
    [InlineData("add", 0x8000_0000u, 0x8000_0000u, false, 0u, "CF PF ZF OF")]  // both
    [InlineData("adc", 0xFFFF_FFFFu, 0u, true, 0u, "CF PF AF ZF")]             // carry-in alone wraps
    [InlineData("adc", 0x7FFF_FFFFu, 0u, true, 0x8000_0000u, "PF AF SF OF")]
    [InlineData("sub", 0u, 1u, false, 0xFFFF_FFFFu, "CF PF AF SF")]            // borrow
    [InlineData("sub", 0x8000_0000u, 1u, false, 0x7FFF_FFFFu, "PF AF OF")]    // signed overflow
    [InlineData("sbb", 5u, 5u, true, 0xFFFF_FFFFu, "CF PF AF SF")]            // borrow-in makes equal operands borrow
    [InlineData("sbb", 0u, 0xFFFF_FFFFu, true, 0u, "CF PF AF ZF")]            // 0 - (2^32-1) - 1 borrows, also out of bit 3
    [InlineData("cmp", 3u, 3u, false, 3u, "PF ZF")]                           // CMP leaves the destination alone
    [InlineData("and", 0xF0F0_F0F0u, 0x0F0F_0F0Fu, true, 0u, "PF ZF")]        // logic clears CF and OF
    [InlineData("xor", 0x8000_0001u, 0u, true, 0x8000_0001u, "SF")]
    [InlineData("inc", 0x7FFF_FFFFu, 0u, true, 0x8000_0000u, "CF PF AF SF OF")] // INC keeps CF
    [InlineData("inc", 0xFFFF_FFFFu, 0u, false, 0u, "PF AF ZF")]               // and does not set it on wrap
    [InlineData("dec", 0x8000_0000u, 0u, true, 0x7FFF_FFFFu, "CF PF AF OF")]
    [InlineData("neg", 0u, 0u, true, 0u, "PF ZF")]                            // NEG 0 clears CF
    [InlineData("neg", 0x8000_0000u, 0u, false, 0x8000_0000u, "CF PF SF OF")]  // NEG of the minimum overflows
    [InlineData("neg", 1u, 0u, false, 0xFFFF_FFFFu, "CF PF AF SF")]
    public void Alu32_ResultAndFlags(string op, uint a, uint b, bool carry, uint result, string flags)
    {
        var (r, f) = Run32(op, a, b, carry);
        Assert.Equal(result, r);
        Assert.Equal(flags, f);
    }

    [Fact]
    public void Add8_OnlyTouchesAl_AndComputesFlagsAtByteWidth()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x1234_567F);
            c.add(al, 1);
        }).RunToEnd();
        Assert.Equal(0x1234_5680u, h.Eax);
        Assert.Equal("AF SF OF", CpuHarness.StatusFlags(h.Flags));
    }

    [Fact]
    public void Sub16_HighByteRegisters_AndAh()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0xAAAA_0100);
            c.sub(ah, 2); // 0x01 - 0x02 in AH
            c.mov(ebx, 0xFFFF_8000);
            c.sub(bx, 1); // 0x8000 - 1 overflows at 16 bits
        }).RunToEnd();
        Assert.Equal(0xAAAA_FF00u, h.Eax);
        Assert.Equal(0xFFFF_7FFFu, h.Ebx);
        Assert.Equal("PF AF OF", CpuHarness.StatusFlags(h.Flags));
    }

    [Fact]
    public void AluWithMemoryDestination_ReadModifyWrite()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(__dword_ptr[0x20000], 40);
            c.add(__dword_ptr[0x20000], 2);
            c.mov(eax, __dword_ptr[0x20000]);
            c.or(__byte_ptr[0x20001], 0x80);
            c.mov(ebx, __dword_ptr[0x20000]);
        }).RunToEnd();
        Assert.Equal(42u, h.Eax);
        Assert.Equal(0x802Au, h.Ebx);
    }

    [Fact]
    public void Xadd_Cmpxchg_Cmpxchg8b()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(__dword_ptr[0x20000], 10);
            c.mov(ecx, 5);
            c.xadd(__dword_ptr[0x20000], ecx);     // mem = 15, ecx = 10
            c.mov(eax, 15);
            c.mov(edx, 99);
            c.cmpxchg(__dword_ptr[0x20000], edx);  // equal: mem = 99, ZF
            c.setz(bl);
            c.mov(eax, 1);
            c.cmpxchg(__dword_ptr[0x20000], edx);  // not equal: eax = 99, ZF clear
            c.setz(bh);
        }).RunToEnd();
        Assert.Equal(10u, h.Ecx);
        Assert.Equal(99u, h.Eax);
        Assert.Equal(0x0001u, h.Ebx & 0xFFFF);
        Assert.Equal(99u, h.Machine.Memory.Read32(0x20000));

        var q = new CpuHarness().Code(c =>
        {
            c.mov(__dword_ptr[0x20000], 1);
            c.mov(__dword_ptr[0x20004], 2);
            c.mov(eax, 1);
            c.mov(edx, 2);
            c.mov(ebx, 0xAAAA);
            c.mov(ecx, 0xBBBB);
            c.cmpxchg8b(__qword_ptr[0x20000]);
            c.setz(__byte_ptr[0x20010]);
        }).RunToEnd();
        Assert.Equal(0xAAAAu, q.Machine.Memory.Read32(0x20000));
        Assert.Equal(0xBBBBu, q.Machine.Memory.Read32(0x20004));
        Assert.Equal(1, q.Machine.Memory.Read8(0x20010));
    }

    [Fact]
    public void LahfSahf_RoundTripTheLowFlags()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0xD500); // SF ZF AF PF CF
            c.sahf();
            c.mov(eax, 0);
            c.lahf();
        }).RunToEnd();
        Assert.Equal(0xD7u, (h.Eax >> 8) & 0xFF); // bit 1 always reads as 1
        Assert.Equal("CF PF AF ZF SF", CpuHarness.StatusFlags(h.Flags));
    }
}
