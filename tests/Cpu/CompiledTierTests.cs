using Iced.Intel;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Emulator.Processor.Compiler;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// The compiled tier against the interpreter on programs that exercise what compiled code must
/// keep exactly: registers and lazy flags, memory, the instruction count, precise faults in
/// the middle of a compiled block, self-modifying code, repeated string instructions; and the
/// checker (<c>--tier check</c>) catching compiled code that does not do what the interpreter does.
/// </summary>
public class CompiledTierTests
{
    /// <summary>A hot loop of the compiled forms: loads, stores, ALU on registers and memory, IMUL, shifts, PUSH/POP, CALL/RET, MOVZX, LEA, INC/DEC, Jcc.</summary>
    private static void Mixed(Assembler a)
    {
        Label top = a.CreateLabel(), fn = a.CreateLabel(), done = a.CreateLabel();
        a.mov(ecx, 3000);
        a.mov(esi, 0x40000);
        a.xor(eax, eax);
        a.mov(ebx, 7);
        a.Label(ref top);
        a.add(eax, ecx);
        a.imul(eax, ebx);
        a.mov(__dword_ptr[esi + ecx * 4], eax);
        a.add(eax, __dword_ptr[esi + ecx * 4 - 4]);
        a.shl(ebx, 3);
        a.shr(ebx, 2);
        a.lea(edx, __dword_ptr[eax + ebx * 2 + 0x55]);
        a.movzx(edi, dl);
        a.push(edx);
        a.call(fn);
        a.pop(edx);
        a.xor(eax, edi);
        a.adc(eax, 1);
        a.sbb(edx, eax);
        a.dec(ecx);
        a.jnz(top);
        a.jmp(done);
        a.Label(ref fn);
        a.inc(__dword_ptr[0x30000]);
        a.movzx(edi, __word_ptr[esi + 2]);
        a.ret();
        a.Label(ref done);
    }

    private static CpuHarness RunUnder(ExecutionTier tier, Action<Assembler> code, int threshold = 2)
    {
        var h = new CpuHarness().Code(code);
        h.Cpu.UseTier(tier, threshold);
        h.RunToEnd(10_000_000);
        return h;
    }

    private static void AssertSameState(CpuHarness expected, CpuHarness actual)
    {
        for (int r = 0; r < 8; r++)
        {
            Assert.True(expected.Cpu.R[r] == actual.Cpu.R[r], $"register {r}: {expected.Cpu.R[r]:X8} against {actual.Cpu.R[r]:X8}");
        }
        Assert.Equal(expected.Cpu.Eip, actual.Cpu.Eip);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Cpu.InstructionCount, actual.Cpu.InstructionCount);
    }

    /// <summary>
    /// MINIX318EMU_TIER reaches the machines a process builds: CI runs the suite again under jit
    /// and the CPU tests under check this way, and for a while every in-process machine ran the
    /// interpreter instead (the default was initialised before the variable was read). Under a
    /// plain run both are the interpreter; under CI's tier passes this fails if they part.
    /// </summary>
    [Fact]
    public void TheEnvironmentsTier_IsTheTierOfANewCpu()
    {
        Assert.Equal(Minix318Emu.Emulator.Processor.Cpu.EnvironmentTier ?? ExecutionTier.Interp, Minix318Emu.Emulator.Processor.Cpu.DefaultTier);
        var h = new CpuHarness();
        Assert.Equal(Minix318Emu.Emulator.Processor.Cpu.DefaultTier, h.Cpu.Tier);
    }

    [Fact]
    public void HotLoop_Compiled_EndsAsInterpreted_RegistersFlagsMemoryAndCount()
    {
        var interp = RunUnder(ExecutionTier.Interp, Mixed);
        var jit = RunUnder(ExecutionTier.Jit, Mixed);
        AssertSameState(interp, jit);
        Assert.Equal(interp.Machine.Memory.Read32(0x30000), jit.Machine.Memory.Read32(0x30000));
        Assert.Equal(3000u, jit.Machine.Memory.Read32(0x30000));
        for (uint a = 0x40000; a < 0x40000 + 3004 * 4; a += 4)
        {
            Assert.Equal(interp.Machine.Memory.Read32(a), jit.Machine.Memory.Read32(a));
        }
        CompilerStatistics s = jit.Cpu.CompilerStatistics!;
        Assert.True(s.BlocksCompiled >= 2, $"{s.BlocksCompiled} blocks compiled");
        Assert.True(s.CompiledRuns > 5000, $"{s.CompiledRuns} compiled runs: the loop did not run compiled");
    }

    [Theory]
    [InlineData(12_345UL)]
    [InlineData(30_001UL)]
    public void LinkedCompiledBlocks_RunIntoEachOther_AndStopExactlyAtTheBudget(ulong budget)
    {
        // The loop's three blocks (to the CALL, the function, back to the JNZ) are compiled after
        // two runs and then enter each other through their links without the run loop; a budget
        // that ends inside a block must still stop the run at exactly that instruction.
        var interp = new CpuHarness().Code(Mixed);
        interp.Run(budget);
        var jit = new CpuHarness().Code(Mixed);
        jit.Cpu.UseTier(ExecutionTier.Jit, 2);
        jit.Run(budget);
        Assert.Equal(budget, jit.Cpu.InstructionCount);
        AssertSameState(interp, jit);
        CompilerStatistics s = jit.Cpu.CompilerStatistics!;
        Assert.True(s.ChainedRuns > s.CompiledRuns / 2, $"{s.ChainedRuns} of {s.CompiledRuns} compiled runs entered through a link");
    }

    [Theory]
    [InlineData(ExecutionTier.Interp)]
    [InlineData(ExecutionTier.Jit)]
    public void DebuggerStep_FromAOneInstructionBlock_RunsOneInstruction(ExecutionTier tier)
    {
        // The loop's jump target is a block of one JMP; a hook stops there, then the debugger
        // steps. Under the compiled tier the step used to chain on into the compiled successors.
        var h = new CpuHarness().Code(c =>
        {
            c.mov(ecx, 10000);
            c.jmp(0x10100ul);
        });
        h.Place(0x10100, c =>
        {
            c.dec(ecx);
            c.jnz(0x10200ul);
            c.hlt();
        });
        h.Place(0x10200, c => c.jmp(0x10100ul));
        h.Cpu.UseTier(tier, 2);
        int hits = 0;
        h.Cpu.Hooks.Add(0x10200, "test", _ => ++hits >= 50);
        h.Cpu.Run(1_000_000); // the CPU's own run: a hook's stop ends it (the machine's run goes on without a debugger)
        Assert.Equal(0x10200u, h.Cpu.Eip);
        ulong before = h.Cpu.InstructionCount;
        h.Cpu.Step();
        Assert.Equal(before + 1, h.Cpu.InstructionCount);
        Assert.Equal(0x10100u, h.Cpu.Eip);
    }

    [Theory]
    [InlineData(ExecutionTier.Interp)]
    [InlineData(ExecutionTier.Jit)]
    public void SingleStepTrap_AfterAPopfdThatClearsTF_ComesRightAfterIt(ExecutionTier tier)
    {
        // POPFD is a block of its own; TF is set at its start and clear after it, so the #DB
        // follows it at once (SDM vol. 3B 17.3.1.4). Under the compiled tier the trap used to
        // come a thousand instructions late, after the chain had run on with TF clear.
        var h = new CpuHarness().Code(c =>
        {
            c.mov(ecx, 1000);
            c.jmp(0x10100ul);
        });
        h.Place(0x10100, c =>
        {
            c.push(2);
            c.jmp(0x10200ul);
        });
        h.Place(0x10200, c =>
        {
            c.popfd();
            c.dec(ecx);
            c.jnz(0x10100ul);
            c.hlt();
        });
        h.Cpu.UseTier(tier, 2);
        h.Run(2 + 5 * 20 + 2);
        Assert.Equal(0x10200u, h.Cpu.Eip);
        ulong before = h.Cpu.InstructionCount;
        (int Vector, ulong After, uint Ecx)? trap = null;
        h.Cpu.ExceptionRaised = (v, _) => trap ??= (v, h.Cpu.InstructionCount - before, h.Ecx);
        h.Cpu.SetFlags(h.Cpu.GetFlags() | EFlags.TF);
        h.Run(1000);
        Assert.Equal((ExceptionVectors.Debug, 1ul, 980u), trap);
    }

    [Fact]
    public void HotLoop_UnderTheChecker_EveryCompiledRunChecked_NoDifference()
    {
        var check = RunUnder(ExecutionTier.Check, Mixed);
        var interp = RunUnder(ExecutionTier.Interp, Mixed);
        AssertSameState(interp, check);
        Assert.True(check.Cpu.CompilerStatistics!.BlocksChecked > 5000, $"{check.Cpu.CompilerStatistics.BlocksChecked} checked");
    }

    /// <summary>
    /// A load in the middle of a hot compiled block runs past a data segment's limit: the #GP must
    /// find EIP on the load and the registers as the instructions before it left them, with
    /// the instruction count of the interpreter (the clock of everything after).
    /// </summary>
    [Fact]
    public void FaultInTheMiddleOfACompiledBlock_IsPrecise()
    {
        static void Code(Assembler a)
        {
            Label top = a.CreateLabel();
            a.mov(eax, 0x30);
            a.mov(ds, ax);
            a.xor(esi, esi);
            a.xor(ebx, ebx);
            a.Label(ref top);
            a.add(ebx, 3);
            a.inc(esi);
            a.mov(eax, __dword_ptr[esi * 4]); // faults once ESI*4 passes the 4 KiB limit
            a.add(ebx, eax);
            a.jmp(top);
        }
        (int, int, CpuHarness) Fault(ExecutionTier tier)
        {
            var h = new CpuHarness();
            h.WriteDescriptor(6, 0x0040_9200_0000_0FFFul); // data, base 0, limit 0xFFF, byte-granular
            h.Code(Code);
            h.Cpu.UseTier(tier, 2);
            var (v, e) = h.RunToFault();
            return (v, e, h);
        }
        var (vi, ei, interp) = Fault(ExecutionTier.Interp);
        var (vj, ej, jit) = Fault(ExecutionTier.Jit);
        Assert.Equal(ExceptionVectors.GeneralProtection, vi);
        Assert.Equal((vi, ei), (vj, ej));
        AssertSameState(interp, jit);
        Assert.Equal(0x400u, jit.Cpu.R[Reg.Esi]); // 0x400 * 4 = 0x1000: the first offset past the limit
        Assert.True(jit.Cpu.CompilerStatistics!.CompiledRuns > 100);
    }

    /// <summary>A hot loop that rewrites an immediate in its own block: each write ends the block, and the next run decodes the new bytes.</summary>
    [Fact]
    public void SelfModifyingHotLoop_SeesEveryRewrite()
    {
        static void Code(Assembler a)
        {
            Label top = a.CreateLabel();
            a.mov(ecx, 500);
            a.xor(ebx, ebx);
            a.Label(ref top);
            a.mov(eax, 0x11111111);
            a.add(ebx, eax);
            a.mov(edx, ecx);
            a.mov(__dword_ptr[CpuHarness.CodeBase + 8], edx); // the immediate of the MOV above (mov ecx,imm: 5 bytes; xor: 2; mov eax: B8 + imm at +8)
            a.dec(ecx);
            a.jnz(top);
        }
        var interp = RunUnder(ExecutionTier.Interp, Code);
        var jit = RunUnder(ExecutionTier.Jit, Code);
        var check = RunUnder(ExecutionTier.Check, Code);
        AssertSameState(interp, jit);
        AssertSameState(interp, check);
        // 0x11111111 once, then 500, 499, ..., 2 (the value written by the previous pass).
        uint expected = 0x11111111;
        for (uint v = 500; v >= 2; v--)
        {
            expected += v;
        }
        Assert.Equal(expected, jit.Ebx);
    }

    [Fact]
    public void RepeatedStringInstructions_InCompiledBlocks_CountEveryElement()
    {
        static void Code(Assembler a)
        {
            Label top = a.CreateLabel();
            a.mov(edx, 200);
            a.Label(ref top);
            a.mov(esi, 0x40000);
            a.mov(edi, 0x50000);
            a.mov(ecx, edx);
            a.rep.movsd();
            a.dec(edx);
            a.jnz(top);
        }
        var interp = RunUnder(ExecutionTier.Interp, Code);
        var jit = RunUnder(ExecutionTier.Jit, Code);
        AssertSameState(interp, jit);
        Assert.True(jit.Cpu.CompilerStatistics!.CompiledRuns > 100);
    }

    /// <summary>The checker stops at compiled code that differs from the interpreter, naming the block, the instruction and the field.</summary>
    [Fact]
    public void Checker_StopsAtCompiledCodeThatDiffers_NamingTheInstructionAndTheRegister()
    {
        var h = new CpuHarness().Code(Mixed);
        h.Cpu.UseTier(ExecutionTier.Check, 1);
        h.Cpu.Run(2000);
        Assert.True(h.Cpu.InstructionCount >= 2000, $"{h.Cpu.InstructionCount}");
        Block loop = h.Cpu.DecodedBlocks.Single(b => b.Linear == CpuHarness.CodeBase + 17); // the loop's top: after four set-up MOVs and an XOR
        Assert.NotNull(loop.Compiled);
        CompiledCode good = loop.Compiled!;
        loop.Compiled = cpu =>
        {
            bool r = good(cpu);
            if (cpu is not null)
            {
                cpu.R[Reg.Ebx] ^= 0x100; // a wrong EBX at the end of the block
            }
            return r;
        };
        var stop = Assert.Throws<MachineStopException>(() => h.Cpu.Run(100_000));
        Assert.Equal(StopReason.TierMismatch, stop.Reason);
        Assert.Contains("tier check: the compiled block", stop.Message);
        Assert.Contains($"instruction {loop.Count}", stop.Message); // only the whole block differs: the prefixes are compiled afresh
        Assert.Contains("EBX", stop.Message);
    }
}
