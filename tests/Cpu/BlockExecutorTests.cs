using Iced.Intel;
using Minix318Emu.Emulator.Processor;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// The block-execution seam (<see cref="IBlockExecutor"/>) and the state object
/// (<see cref="CpuState"/>) a compiled tier is to build on: every block, including single
/// steps and blocks cut short at a limit, goes through the installed executor, and the state
/// the CPU exposes is the state object's.
/// </summary>
public class BlockExecutorTests
{
    /// <summary>Counts what it is asked to run and hands it to the interpreter.</summary>
    private sealed class CountingExecutor(IBlockExecutor inner) : IBlockExecutor
    {
        public long Blocks, Instructions;

        public bool Run(Block block, int count)
        {
            Blocks++;
            Instructions += count;
            return inner.Run(block, count);
        }
    }

    private static void Loop(Assembler a)
    {
        Label top = a.CreateLabel();
        a.mov(ecx, 1000);
        a.xor(eax, eax);
        a.Label(ref top);
        a.add(eax, ecx);
        a.imul(eax, eax, 3);
        a.dec(ecx);
        a.jnz(top);
    }

    [Fact]
    public void EveryBlock_RunsThroughTheInstalledExecutor_WithTheInterpretersResults()
    {
        var plain = new CpuHarness().Code(Loop).RunToEnd();
        var h = new CpuHarness().Code(Loop);
        var counting = new CountingExecutor(h.Cpu.BlockExecutor);
        h.Cpu.BlockExecutor = counting;
        h.RunToEnd();
        Assert.Equal(plain.Cpu.R[Reg.Eax], h.Cpu.R[Reg.Eax]);
        Assert.Equal(plain.Cpu.InstructionCount, h.Cpu.InstructionCount);
        Assert.True(counting.Blocks >= 1000, $"{counting.Blocks} blocks");
        // Every retired instruction was run through the seam (the final HLT too).
        Assert.Equal((long)h.Cpu.InstructionCount, counting.Instructions);
    }

    [Fact]
    public void SingleStepsAndLimits_GoThroughTheExecutorToo()
    {
        var h = new CpuHarness().Code(Loop);
        var counting = new CountingExecutor(h.Cpu.BlockExecutor);
        h.Cpu.BlockExecutor = counting;
        h.Cpu.Step();
        h.Cpu.Step();
        Assert.Equal(2, counting.Blocks);
        Assert.Equal(2, counting.Instructions);
        h.Run(maxInstructions: 7); // seven more: stops inside the second pass of the loop's block
        Assert.Equal(9ul, h.Cpu.InstructionCount);
        Assert.Equal(9, counting.Instructions);
    }

    [Fact]
    public void ACopyOfTheState_HoldsEveryArchitecturalField_AndIsIndependent()
    {
        var h = new CpuHarness().Code(a =>
        {
            Loop(a);
            a.fld1();
            a.fldpi();
            a.sub(eax, 5); // leaves lazy flags behind
        }).RunToEnd();
        var copy = new CpuState();
        h.Cpu.CopyTo(copy);
        Assert.Equal(h.Cpu.R, copy.R);
        Assert.Equal(h.Cpu.Eip, copy.Eip);
        Assert.Equal(h.Cpu.InstructionCount, copy.InstructionCount);
        Assert.Equal(h.Cpu.Seg[SegReg.Cs].Base, copy.Seg[SegReg.Cs].Base);
        Assert.Equal(h.Cpu.Seg[SegReg.Ss].Selector, copy.Seg[SegReg.Ss].Selector);
        Assert.Equal(h.Cpu.Cr0, copy.Cr0);
        Assert.Equal(h.Cpu.GdtBase, copy.GdtBase);
        Assert.Equal(h.Cpu.Halted, copy.Halted);
        Assert.Equal(h.Cpu.Fpu.St(0).SignExponent, copy.Fpu.St(0).SignExponent);
        Assert.Equal(h.Cpu.Fpu.Status, copy.Fpu.Status);
        Assert.NotSame(h.Cpu.R, copy.R);
        copy.R[Reg.Eax] ^= 1;
        Assert.NotEqual(h.Cpu.R[Reg.Eax], copy.R[Reg.Eax]);
        var back = new CpuState();
        copy.CopyTo(back);
        Assert.Equal(copy.R, back.R);
    }

    [Fact]
    public void TheCpu_IsItsStateObject()
    {
        var h = new CpuHarness().Code(Loop).RunToEnd();
        CpuState s = h.Cpu;
        s.Eip = 0x1234;
        s.R[Reg.Ebx] = 0xCAFE;
        Assert.Equal(0x1234u, h.Cpu.Eip);
        Assert.Equal(0xCAFEu, h.Cpu.R[Reg.Ebx]);
    }
}
