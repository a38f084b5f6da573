using Iced.Intel;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Emulator.Processor.Compiler;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// Compiled blocks that leave where the interpreter stops, after register locals were written
/// and flag records left out: a data breakpoint's #DB and a debugger's read watchpoint right after
/// a load whose flags a later instruction overwrites (the load's own record must be kept: found
/// in review, the jit pushed the EFLAGS from before the load), and the stack forms on register
/// locals faulting on SS's limit on 32- and 16-bit stacks. Each against the interpreter and the
/// checker.
/// </summary>
public class CompiledEarlyExitTests
{
    private const uint Data = 0x40000;

    private sealed record Seen(int Vector, int Error, uint Eip, uint Flags, uint[] R, ulong Count);

    private static Seen RunToFirstException(CpuHarness h, ulong max = 1_000_000)
    {
        Seen? first = null;
        h.Cpu.ExceptionRaised = (v, e) => first ??= new Seen(v, e, h.Cpu.Eip, h.Cpu.GetFlags(), [.. h.Cpu.R], h.Cpu.InstructionCount);
        h.Run(max);
        Assert.True(first is not null, "expected an exception");
        return first!;
    }

    private static void AssertSame(Seen i, Seen j)
    {
        Assert.Equal((i.Vector, i.Error, i.Eip, i.Count), (j.Vector, j.Error, j.Eip, j.Count));
        for (int r = 0; r < 8; r++)
        {
            Assert.True(i.R[r] == j.R[r], $"register {r}: {i.R[r]:X8} against {j.R[r]:X8}");
        }
        Assert.True(i.Flags == j.Flags, $"EFLAGS {i.Flags:X8} ({CpuHarness.StatusFlags(i.Flags)}) against {j.Flags:X8} ({CpuHarness.StatusFlags(j.Flags)})");
    }

    public static TheoryData<string> LoadingForms => ["add", "imul"];

    /// <summary>
    /// A data breakpoint (DR0, read/write) on the operand of ADD r32, m32 / IMUL r32, m32 whose flag
    /// record FlagLiveness leaves out (SUB after it overwrites all six). The #DB is a trap after the
    /// instruction: the EFLAGS it pushes must be the ADD's/IMUL's.
    /// </summary>
    [Theory]
    [MemberData(nameof(LoadingForms))]
    public void DataBreakpoint_OnALoadWhoseFlagsAreOverwrittenLater_SeesItsFlags(string form)
    {
        void Code(Assembler a)
        {
            Label top = a.CreateLabel();
            a.mov(eax, Data + 4 * 200);
            a.mov(dr0, eax);
            a.mov(eax, 0x000F_0001u); // L0, R/W0 = 11 (read or write), LEN0 = 11 (4 bytes)
            a.mov(dr7, eax);
            a.mov(ecx, 300);
            a.mov(esi, Data);
            a.mov(edx, 1);
            a.Label(ref top);
            a.mov(eax, 0x7FFF_FFFF);
            if (form == "add")
            {
                a.add(eax, __dword_ptr[esi]); // 0x7FFFFFFF + 1: OF SF AF PF
            }
            else
            {
                a.imul(eax, __dword_ptr[esi]); // 0x7FFFFFFF * 1: no overflow, SF, PF
            }
            a.mov(ebx, eax);
            a.sub(ebx, edx);   // overwrites all six: the load's record is dead to FlagLiveness
            a.add(esi, 4);
            a.dec(ecx);
            a.jnz(top);
        }
        Seen Under(ExecutionTier tier)
        {
            var h = new CpuHarness().Code(Code);
            for (uint a = 0; a < 0x400; a += 4)
            {
                h.Machine.Memory.Write32(Data + a, 1);
            }
            h.Cpu.UseTier(tier, 2);
            return RunToFirstException(h);
        }
        Seen interp = Under(ExecutionTier.Interp);
        Assert.Equal(ExceptionVectors.Debug, interp.Vector);
        AssertSame(interp, Under(ExecutionTier.Check));
        AssertSame(interp, Under(ExecutionTier.Jit));
    }

    public static TheoryData<string> StackBodies => ["push-reg", "push-esp", "push-imm", "call-rel", "ret", "pop-reg", "pop-esp"];

    /// <summary>
    /// The stack forms on register locals faulting on SS's limit in the middle of a compiled block
    /// (32-bit stack, and 16-bit with ESP's high half set): #SS(0) with every register, EIP,
    /// EFLAGS and the count as the interpreter leaves them.
    /// </summary>
    [Theory]
    [MemberData(nameof(StackBodies))]
    public void StackFault_InACompiledBlock_IsPrecise(string name)
    {
        foreach (bool big in new[] { true, false })
        {
            Seen Under(ExecutionTier tier)
            {
                var h = new CpuHarness();
                // SS 0x30: data, base 0x40000, limit 0xFFFF, B as asked
                h.WriteDescriptor(6, big ? 0x0040_9204_0000_FFFFul : 0x0000_9204_0000_FFFFul);
                bool up = name is "ret" or "pop-reg" or "pop-esp";
                uint esp0 = (big ? 0u : 0x5678_0000u) | (up ? 0xF002u : 0x0FF2u);
                uint topAddr = 0;
                h.Code(a =>
                {
                    Label top = a.CreateLabel(), next = a.CreateLabel();
                    a.mov(eax, 0x30);
                    a.mov(ss, ax);
                    a.mov(esp, esp0);
                    a.xor(ebx, ebx);
                    a.mov(edi, 0x1000);
                    a.Label(ref top);
                    a.add(ebx, 3);
                    a.mov(edx, ebx);
                    a.add(esi, edx);
                    switch (name)
                    {
                        case "push-reg": a.push(edx); break;
                        case "push-esp": a.push(esp); break;
                        case "push-imm": a.push(0x1234_5678); break;
                        case "call-rel": a.call(next); break;
                        case "ret": a.ret(); break;
                        case "pop-reg": a.pop(edx); break;
                        case "pop-esp":
                            a.pop(esp); // ESP = the value popped (the stack holds ESP + 4 at each slot)
                            break;
                    }
                    a.Label(ref next);
                    a.add(edi, ebx);
                    a.jmp(top);
                });
                // The code is the same each time: find top's address by assembling the prologue alone.
                var pro = new Assembler(32);
                pro.mov(eax, 0x30);
                pro.mov(ss, ax);
                pro.mov(esp, esp0);
                pro.xor(ebx, ebx);
                pro.mov(edi, 0x1000);
                using (var ms = new MemoryStream())
                {
                    pro.Assemble(new StreamCodeWriter(ms), CpuHarness.CodeBase);
                    topAddr = CpuHarness.CodeBase + (uint)ms.Length;
                }
                for (uint a = 0; a < 0x10000; a += 2)
                {
                    h.Machine.Memory.Write16(0x40000 + a, (ushort)(a % 4 == (0xF002u % 4) ? topAddr : topAddr >> 16));
                }
                if (name == "pop-esp")
                {
                    for (uint a = 0xF002; a < 0xFFFE; a += 4)
                    {
                        h.Machine.Memory.Write32(0x40000 + a, (esp0 & 0xFFFF_0000) | (a + 4));
                    }
                }
                h.Cpu.UseTier(tier, 2);
                Seen seen = RunToFirstException(h);
                if (tier == ExecutionTier.Jit)
                {
                    Assert.True(h.Cpu.CompilerStatistics!.CompiledRuns > 500, $"{h.Cpu.CompilerStatistics.CompiledRuns} compiled runs");
                }
                return seen;
            }
            Seen interp = Under(ExecutionTier.Interp);
            Assert.Equal(ExceptionVectors.StackFault, interp.Vector);
            Assert.True(interp.Count > 1000, $"{interp.Count} instructions");
            AssertSame(interp, Under(ExecutionTier.Check));
            AssertSame(interp, Under(ExecutionTier.Jit));
        }
    }

    /// <summary>The debugger's view: a read watchpoint (gdb rwatch/awatch) on the same load stops the machine after it; EFLAGS must be the ADD's.</summary>
    [Fact]
    public void ReadWatchpoint_OnALoadWhoseFlagsAreOverwrittenLater_StopsWithItsFlags()
    {
        void Code(Assembler a)
        {
            Label top = a.CreateLabel();
            a.mov(ecx, 300);
            a.mov(esi, Data);
            a.mov(edx, 1);
            a.Label(ref top);
            a.mov(eax, 0x7FFF_FFFF);
            a.add(eax, __dword_ptr[esi]);
            a.mov(ebx, eax);
            a.sub(ebx, edx);
            a.add(esi, 4);
            a.dec(ecx);
            a.jnz(top);
        }
        (uint Eip, uint Flags, uint Eax) Under(ExecutionTier tier)
        {
            var h = new CpuHarness().Code(Code);
            for (uint a = 0; a < 0x400; a += 4)
            {
                h.Machine.Memory.Write32(Data + a, 1);
            }
            h.Cpu.UseTier(tier, 2);
            h.Cpu.AddWatch(Data + 4 * 200, 4, WatchKind.Access);
            h.Cpu.Run(1_000_000); // the CPU's own loop: it returns at the watchpoint's stop (the machine's needs a debugger attached)
            Assert.NotNull(h.Cpu.LastWatchHit);
            return (h.Cpu.Eip, h.Cpu.GetFlags(), h.Cpu.R[Reg.Eax]);
        }
        var interp = Under(ExecutionTier.Interp);
        var jit = Under(ExecutionTier.Jit);
        Assert.Equal(interp.Eip, jit.Eip);
        Assert.Equal(interp.Eax, jit.Eax);
        Assert.True(interp.Flags == jit.Flags, $"EFLAGS {interp.Flags:X8} against {jit.Flags:X8} eip {interp.Eip:X8} {jit.Eip:X8}");
    }
}
