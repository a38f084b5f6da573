using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>MUL/IMUL/DIV/IDIV including #DE, and the BCD adjusts.</summary>
public sealed class MulDivBcdTests
{
    [Fact]
    public void Mul32_HighHalfSetsCfOf()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x1_0000);
            c.mov(ebx, 0x1_0000);
            c.mul(ebx);
        }).RunToEnd();
        Assert.Equal(0u, h.Eax);
        Assert.Equal(1u, h.Edx);
        Assert.Equal("CF OF", CpuHarness.StatusFlags(h.Flags, EFlags.CF | EFlags.OF));
    }

    [Fact]
    public void Imul_TwoAndThreeOperand_Truncate_AndFlagOverflow()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, -3);
            c.mov(ebx, 7);
            c.imul(eax, ebx);         // -21, fits
            c.setc(cl);
            c.imul(edx, ebx, 0x4000_0000); // overflows
            c.setc(ch);
        }).RunToEnd();
        Assert.Equal(unchecked((uint)-21), h.Eax);
        Assert.Equal(0xC000_0000u, h.Edx);
        Assert.Equal(0x0100u, h.Ecx & 0xFFFF);
    }

    [Fact]
    public void Div_ByZero_RaisesDivideError_WithEipAtTheDiv()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.xor(ecx, ecx);
            c.mov(eax, 1);
            c.div(ecx);
        });
        var (v, _) = h.RunToFault();
        Assert.Equal(ExceptionVectors.DivideError, v);
        // The saved EIP on the handler's stack is the DIV itself (a fault, not a trap).
        uint savedEip = h.Machine.Memory.Read32(CpuHarness.StackTop - 12);
        Assert.Equal(CpuHarness.CodeBase + 2 + 5, savedEip);
    }

    [Fact]
    public void Div_QuotientTooLarge_RaisesDivideError()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(edx, 2);
            c.mov(eax, 0);
            c.mov(ecx, 2);
            c.div(ecx); // 2^33 / 2 = 2^32 does not fit
        });
        Assert.Equal(ExceptionVectors.DivideError, h.RunToFault().Vector);
    }

    [Fact]
    public void Idiv_MinByMinusOne_RaisesDivideError()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x8000_0000);
            c.cdq();
            c.mov(ecx, -1);
            c.idiv(ecx);
        });
        Assert.Equal(ExceptionVectors.DivideError, h.RunToFault().Vector);
    }

    [Fact]
    public void Idiv_RoundsTowardZero_RemainderTakesTheDividendSign()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, -7);
            c.cdq();
            c.mov(ecx, 2);
            c.idiv(ecx);
        }).RunToEnd();
        Assert.Equal(unchecked((uint)-3), h.Eax);
        Assert.Equal(unchecked((uint)-1), h.Edx);
    }

    [Fact]
    public void Div8_UsesAxAndSplitsIntoAlAh()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0xFFFF_0107); // AX = 263
            c.mov(ebx, 10);
            c.div(bl);
        }).RunToEnd();
        Assert.Equal(0xFFFF_031Au, h.Eax); // quotient 26, remainder 3
    }

    [Fact]
    public void Daa_AfterAddition_UsesAf()
    {
        // 19 + 09 = 0x22 in binary with a carry out of the low nibble (AF); DAA makes it BCD 28.
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x19);
            c.add(al, 0x09);
            c.daa();
        }).RunToEnd();
        Assert.Equal(0x28u, h.Eax & 0xFF);
        Assert.Equal("AF", CpuHarness.StatusFlags(h.Flags, EFlags.CF | EFlags.AF));
    }

    [Fact]
    public void Daa_CarryOutOfTheHighDigit()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x99);
            c.add(al, 0x01);
            c.daa(); // 99 + 1 = 100: AL = 00, CF
        }).RunToEnd();
        Assert.Equal(0u, h.Eax & 0xFF);
        Assert.Equal("CF AF ZF", CpuHarness.StatusFlags(h.Flags, EFlags.CF | EFlags.AF | EFlags.ZF));
    }

    [Fact]
    public void Aas_BorrowReachesAh()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x1000);
            c.sahf();           // AF = 1
            c.mov(eax, 0x0203); // AH=2, AL=3
            c.aas();            // AX - 0x106 = 0x00FD: AL - 6 borrows from AH -> AL = 0xD, AH = 0
        }).RunToEnd();
        Assert.Equal(0x000Du, h.Eax & 0xFFFF);
        Assert.Equal("CF AF", CpuHarness.StatusFlags(h.Flags, EFlags.CF | EFlags.AF));
    }

    [Fact]
    public void Aam_ZeroDivisor_RaisesDivideError_AndAadCombinesDigits()
    {
        var f = new CpuHarness().Code(c => c.aam(0));
        Assert.Equal(ExceptionVectors.DivideError, f.RunToFault().Vector);
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, 0x0407);
            c.aad(10);   // 4*10 + 7 = 47
            c.mov(ebx, eax);
            c.aam(10);   // back to 0x0407
        }).RunToEnd();
        Assert.Equal(47u, h.Ebx & 0xFFFF);
        Assert.Equal(0x0407u, h.Eax & 0xFFFF);
    }
}
