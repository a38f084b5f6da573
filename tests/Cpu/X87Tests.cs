using Iced.Intel;
using Minix318Emu.Emulator.Fpu;
using Minix318Emu.Emulator.Processor;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>x87 instructions through the CPU: the stack, memory formats, condition codes, EFLAGS, faults and state images.</summary>
public class X87Tests
{
    private const uint Data = 0x20000;

    private static CpuHarness Run(Action<Assembler> code, Action<CpuHarness>? setup = null)
    {
        var h = new CpuHarness();
        setup?.Invoke(h);
        return h.Code(code).RunToEnd();
    }

    private static double Dbl(CpuHarness h, uint at) => BitConverter.Int64BitsToDouble((long)Read64(h, at));

    private static void PutDouble(CpuHarness h, uint at, double v) => h.Machine.Memory.WriteBytes(at, BitConverter.GetBytes(v));

    [Fact]
    public void Fninit_SetsTheDefaultEnvironment()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fnstcw(__word_ptr[Data]);
            c.fnstsw(ax);
        });
        Assert.Equal(0x037F, h.Machine.Memory.Read16(Data));
        Assert.Equal(0u, h.Eax & 0xFFFF);
        Assert.Equal(0xFF, h.Cpu.Fpu.EmptyMask);
    }

    [Fact]
    public void LoadArithmeticStore_InDoubleAndExtended_KeepsSixtyFourBitsUntilTheStore()
    {
        // (1 + 2^-60) - 1 is 2^-60 in extended precision; double arithmetic would give 0.
        var h = Run(c =>
        {
            c.fninit();
            c.fld1();
            c.fld(__qword_ptr[Data]);
            c.faddp(st1, st0);
            c.fld1();
            c.fsubp(st1, st0);
            c.fstp(__qword_ptr[Data + 8]);
        }, h => PutDouble(h, Data, Math.Pow(2, -60)));
        Assert.Equal(Math.Pow(2, -60), Dbl(h, Data + 8));
        Assert.Equal(0xFF, h.Cpu.Fpu.EmptyMask);
    }

    [Fact]
    public void PrecisionControl_RoundsResultsToDouble()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fldcw(__word_ptr[Data]);
            c.fld1();
            c.fld(__qword_ptr[Data + 8]);
            c.faddp(st1, st0);
            c.fld1();
            c.fsubp(st1, st0);
            c.fstp(__qword_ptr[Data + 16]);
        }, h =>
        {
            h.Machine.Memory.Write16(Data, 0x027F); // PC = double
            PutDouble(h, Data + 8, Math.Pow(2, -60));
        });
        Assert.Equal(0.0, Dbl(h, Data + 16));
    }

    [Fact]
    public void IntegerLoadsAndStores_WithRoundingControl()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fild(__dword_ptr[Data]);        // 7
            c.fild(__word_ptr[Data + 4]);     // 2
            c.fdivp(st1, st0);                // 3.5
            c.fist(__dword_ptr[Data + 8]);    // nearest even: 4
            c.fldcw(__word_ptr[Data + 6]);    // chop
            c.fistp(__qword_ptr[Data + 12]);  // 3
        }, h =>
        {
            h.Machine.Memory.Write32(Data, 7);
            h.Machine.Memory.Write16(Data + 4, 2);
            h.Machine.Memory.Write16(Data + 6, 0x0F7F);
        });
        Assert.Equal(4u, h.Machine.Memory.Read32(Data + 8));
        Assert.Equal(3ul, Read64(h, Data + 12));
    }

    [Fact]
    public void Compares_SetConditionCodes_AndFcomiSetsEflags()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fld1();
            c.fldz();
            c.fcom(st0, st1);     // 0 < 1: C0
            c.fnstsw(ax);
            c.mov(ebx, eax);
            c.fcomi(st0, st1);    // CF
            c.pushfd();
            c.pop(ecx);
            c.fucomip(st0, st0);  // equal: ZF, pops
            c.pushfd();
            c.pop(edx);
        });
        Assert.Equal(X87State.StatusC0, (ushort)(h.Ebx & X87State.ConditionMask));
        Assert.Equal(EFlags.CF, h.Ecx & (EFlags.CF | EFlags.ZF | EFlags.PF));
        Assert.Equal(EFlags.ZF, h.Edx & (EFlags.CF | EFlags.ZF | EFlags.PF));
        Assert.Equal(1, 8 - System.Numerics.BitOperations.PopCount(h.Cpu.Fpu.EmptyMask));
    }

    [Fact]
    public void FcmovCopies_OnlyWhenTheConditionHolds()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fld1();
            c.fldz();
            c.stc();
            c.fcmovnb(st0, st1); // CF set: no move
            c.fistp(__dword_ptr[Data]);
            c.fldz();
            c.fcmovb(st0, st1);  // moves 1
            c.fistp(__dword_ptr[Data + 4]);
        });
        Assert.Equal(0u, h.Machine.Memory.Read32(Data));
        Assert.Equal(1u, h.Machine.Memory.Read32(Data + 4));
    }

    [Fact]
    public void StackOverflow_SetsIeSfAndC1_AndPushesTheIndefinite()
    {
        var h = Run(c =>
        {
            c.fninit();
            for (int i = 0; i < 9; i++)
            {
                c.fld1();
            }
            c.fnstsw(ax);
            c.fstp(__tword_ptr[Data]);
        });
        ushort sw = (ushort)h.Eax;
        Assert.Equal(FpStatus.Invalid | X87State.StatusSF | X87State.StatusC1, sw & (0x3F | X87State.StatusSF | X87State.StatusC1));
        Assert.Equal(Float80.Indefinite, Float80.Read(ReadBytes(h, Data, 10)));
    }

    [Fact]
    public void StackUnderflow_WithInvalidUnmasked_RaisesMfAtTheNextWaitingInstruction()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.mov(eax, cr0);
            c.or(eax, 0x20); // NE: report through #MF
            c.mov(cr0, eax);
            c.fninit();
            c.fldcw(__word_ptr[Data]);
            c.fadd(st0, st1); // both empty: stack underflow, IE unmasked
            c.nop();
            c.wait();        // reports it
        });
        h.Machine.Memory.Write16(Data, 0x037E);
        var (vector, _) = h.RunToFault();
        Assert.Equal(ExceptionVectors.FpuError, vector);
        Assert.True(h.Cpu.Fpu.ErrorPending);
        Assert.Equal(0xFF, h.Cpu.Fpu.EmptyMask); // the faulting FADD wrote nothing
    }

    [Fact]
    public void PendingError_WithNeClear_RaisesFerr()
    {
        var h = new CpuHarness().Code(c =>
        {
            c.fninit();
            c.fldcw(__word_ptr[Data]);
            c.fldz();
            c.fld1();
            c.fdivrp(st1, st0); // 1 / 0 with ZE unmasked
            c.wait();
        });
        h.Machine.Memory.Write16(Data, 0x037B);
        bool ferr = false;
        h.Cpu.FerrChanged = v => ferr = v;
        h.RunToEnd();
        Assert.True(ferr);
        Assert.Equal(FpStatus.ZeroDivide, h.Cpu.Fpu.Status & 0x3F);
    }

    [Fact]
    public void EmAndTs_RaiseNm_WaitOnlyWithMpAndTs()
    {
        var em = new CpuHarness().Code(c =>
        {
            c.mov(eax, cr0);
            c.or(eax, 4);
            c.mov(cr0, eax);
            c.wait();  // EM alone does not affect WAIT
            c.fninit();
        });
        Assert.Equal(ExceptionVectors.DeviceNotAvailable, em.RunToFault().Vector);
        Assert.Equal(0x0040, em.Cpu.Fpu.Control); // FNINIT never ran: the reset value

        var ts = new CpuHarness().Code(c =>
        {
            c.mov(eax, cr0);
            c.or(eax, 0xA); // MP | TS
            c.mov(cr0, eax);
            c.wait();
        });
        Assert.Equal(ExceptionVectors.DeviceNotAvailable, ts.RunToFault().Vector);
    }

    [Fact]
    public void FnsaveFrstor_RoundTripTheWholeState_AndFnsaveReinitialises()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fldpi();
            c.fld1();
            c.fnsave(__dword_ptr[Data]);
            c.fnstcw(__word_ptr[Data + 0x100]);
            c.frstor(__dword_ptr[Data]);
            c.fstp(__tword_ptr[Data + 0x110]);
            c.fstp(__tword_ptr[Data + 0x120]);
        });
        Assert.Equal(0x037F, h.Machine.Memory.Read16(Data + 0x100));
        Assert.Equal(0x037Fu, h.Machine.Memory.Read32(Data)); // control word, reserved upper word zero
        Assert.Equal(0x0FFFu, h.Machine.Memory.Read32(Data + 8) & 0xFFFF); // tags: ST0 and ST1 valid (R7, R6), others empty
        Assert.Equal(Float80.One, Float80.Read(ReadBytes(h, Data + 0x110, 10)));
        Assert.Equal(new Float80(0xC90F_DAA2_2168_C235, 0x4000), Float80.Read(ReadBytes(h, Data + 0x120, 10)));
        Assert.Equal(Float80.One, Float80.Read(ReadBytes(h, Data + 28, 10))); // ST(0) first in the image
    }

    [Fact]
    public void Fxsave_NeedsSixteenByteAlignment_AndStoresTheAbridgedTag()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fld1();
            c.fxsave(__[Data]);
        });
        Assert.Equal(0x037F, h.Machine.Memory.Read16(Data));
        Assert.Equal(0x80, h.Machine.Memory.Read8(Data + 4)); // R7 in use
        Assert.Equal(Float80.One, Float80.Read(ReadBytes(h, Data + 32, 10)));

        var bad = new CpuHarness().Code(c => c.fxsave(__[Data + 8]));
        Assert.Equal(ExceptionVectors.GeneralProtection, bad.RunToFault().Vector);
    }

    [Fact]
    public void Fxam_ClassifiesEmptyZeroAndInfinity()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fxam();
            c.fnstsw(ax);
            c.mov(ebx, eax);
            c.fldz();
            c.fchs();
            c.fxam();
            c.fnstsw(ax);
            c.mov(ecx, eax);
        });
        Assert.Equal(X87State.StatusC3 | X87State.StatusC0, (int)(h.Ebx & (X87State.StatusC3 | X87State.StatusC2 | X87State.StatusC0)));
        Assert.Equal(X87State.StatusC3 | X87State.StatusC1, (int)(h.Ecx & X87State.ConditionMask)); // zero, negative
    }

    [Fact]
    public void Transcendentals_AndOutOfRangeReduction()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fldpi();
            c.fsincos();                      // ST0 = cos(pi) = -1, ST1 = sin(pi)
            c.fistp(__dword_ptr[Data]);
            c.fstp(__qword_ptr[Data + 8]);
            c.fld1();
            c.fld1();
            c.fpatan();                       // atan2(1, 1) = pi/4
            c.fstp(__qword_ptr[Data + 16]);
            c.fld(__tword_ptr[Data + 32]);    // 2^70: out of range for FSIN
            c.fsin();
            c.fnstsw(ax);
        }, h => PutExtended(h, Data + 32, new Float80(0x8000_0000_0000_0000, 0x3FFF + 70)));
        Assert.Equal(unchecked((uint)-1), h.Machine.Memory.Read32(Data));
        Assert.True(Math.Abs(Dbl(h, Data + 8)) < 1e-15);
        Assert.Equal(Math.PI / 4, Dbl(h, Data + 16), 15);
        Assert.Equal(X87State.StatusC2, (int)(h.Eax & X87State.StatusC2));
    }

    [Fact]
    public void FbldFbstp_RoundTripPackedDecimal()
    {
        var h = Run(c =>
        {
            c.fninit();
            c.fbld(__tword_ptr[Data]);
            c.fld1();
            c.faddp(st1, st0);
            c.fbstp(__tword_ptr[Data + 16]);
        }, h => h.Machine.Memory.WriteBytes(Data, new byte[] { 0x99, 0x99, 0, 0, 0, 0, 0, 0, 0, 0x80 })); // -9999
        Assert.Equal(new byte[] { 0x98, 0x99, 0, 0, 0, 0, 0, 0, 0, 0x80 }, ReadBytes(h, Data + 16, 10));
    }

    private static byte[] ReadBytes(CpuHarness h, uint at, int n)
    {
        var b = new byte[n];
        h.Machine.Memory.ReadBytes(at, b);
        return b;
    }

    private static ulong Read64(CpuHarness h, uint at) => h.Machine.Memory.Read32(at) | ((ulong)h.Machine.Memory.Read32(at + 4) << 32);

    private static void PutExtended(CpuHarness h, uint at, Float80 v)
    {
        var b = new byte[10];
        v.Write(b);
        h.Machine.Memory.WriteBytes(at, b);
    }
}
