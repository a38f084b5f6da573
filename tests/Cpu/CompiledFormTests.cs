using Iced.Intel;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Emulator.Processor.Compiler;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// The compiled forms of the instructions the interpreter runs through its generic and group
/// paths (8- and 16-bit ALU and moves, ALU with a memory destination, INC/DEC/NEG/NOT, MUL/DIV,
/// BT, SETcc, CMOVcc, shifts by CL and of memory, MOVSX, XCHG, CDQ, PUSH m32, indirect JMP/CALL,
/// NOP): each in a hot loop under the checker, which compares every compiled run with the
/// interpreter on the same state, and against a run in the interpreter alone; and the faults
/// they can raise in the middle of a compiled block (#GP on memory, #DE), precise.
/// </summary>
public class CompiledFormTests
{
    private const uint Data = 0x40000;

    /// <summary>A loop of 300 passes around <paramref name="body"/> (which leaves ECX alone); ESI and EDI point at data.</summary>
    private static Action<Assembler> Loop(Action<Assembler> body) => a =>
    {
        Label top = a.CreateLabel();
        a.mov(ecx, 300);
        a.mov(esi, Data);
        a.mov(edi, Data + 0x800);
        a.mov(eax, 0x8123_4567);
        a.mov(ebx, 0x0000_9ABC);
        a.mov(edx, 3);
        a.mov(ebp, 0x7F);
        a.Label(ref top);
        body(a);
        a.dec(ecx);
        a.jnz(top);
    };

    public static TheoryData<string> Bodies => [.. s_bodies.Keys];

    private static readonly Dictionary<string, (Action<Assembler> Body, CompiledForm[] Forms)> s_bodies = new()
    {
        ["register-locals"] = (a =>
        {
            Label sub = a.CreateLabel(), after = a.CreateLabel();
            a.mov(edx, eax);
            a.shl(edx, 5);        // its flags are dead (XOR overwrites them all): no record
            a.xor(edx, ebx);      // dead too (SHR)
            a.shr(eax, 3);
            a.add(eax, edx);
            a.lea(ebx, __dword_ptr[eax + ebx * 2 + 7]);
            a.imul(edx, ebx, 0x1001);
            a.imul(eax, edx);     // CF/OF live: INC keeps CF and ADC reads it
            a.inc(ebx);
            a.adc(eax, 0);
            a.sar(edx, 2);
            a.cmp(edx, eax);
            a.setb(bl);           // a form on R after register locals were written
            a.push(esp);
            a.pop(edx);
            a.sub(edx, esp);      // PUSH ESP pushes ESP as it was: EDX = 0
            a.push(ebx);
            a.push(esp);
            a.pop(esp);           // POP ESP: ESP is the value popped
            a.pop(ebx);
            a.mov(__dword_ptr[edi + ecx * 4], eax);
            a.add(edx, __dword_ptr[edi + ecx * 4]);
            a.movzx(eax, __byte_ptr[esi + ecx]);
            a.imul(eax, __dword_ptr[esi]);
            a.call(sub);
            a.jmp(after);
            a.Label(ref sub);
            a.add(eax, ebx);
            a.ret();
            a.Label(ref after);
        }, [CompiledForm.ShiftRI, CompiledForm.AluRR, CompiledForm.Lea, CompiledForm.ImulRRI, CompiledForm.ImulRR, CompiledForm.IncR,
            CompiledForm.AluRI, CompiledForm.PushR, CompiledForm.PopR, CompiledForm.MovMR, CompiledForm.AluRM, CompiledForm.MovzxRM8,
            CompiledForm.ImulRM, CompiledForm.CallRel, CompiledForm.Ret]),
        ["same-register-operands"] = (a =>
        {
            a.add(edx, edx);
            a.imul(edx, edx);
            a.imul(eax, eax, 3);
            a.sub(ebx, ebx);
            a.adc(ebx, ebx);
            a.lea(eax, __dword_ptr[eax + eax * 2 + 1]);
            a.imul(eax, __dword_ptr[esi]);
            a.xor(ebp, ebp);
            a.cmp(edx, edx);
            a.setz(bl);
            a.mov(__dword_ptr[edi], edx);
            a.add(edx, __dword_ptr[edi]);
        }, [CompiledForm.AluRR, CompiledForm.ImulRR, CompiledForm.ImulRRI, CompiledForm.Lea, CompiledForm.AluRM, CompiledForm.ImulRM]),
        ["nop"] = (a =>
        {
            a.nop();
            a.add(eax, ecx);
            a.pause();
            a.nop(__dword_ptr[eax + 0x1234]); // 0F 1F /0: no access, whatever the address
            a.nop();
        }, [CompiledForm.Nop]),
        ["alu-8-16"] = (a =>
        {
            a.add(al, cl);
            a.sub(ah, bl);
            a.and(dl, 0x5A);
            a.adc(dx, ax);
            a.test(al, 0x81);
            a.cmp(bx, 7);
            a.sbb(bh, dl);
            a.or(bh, __byte_ptr[esi + ecx]);
            a.xor(ax, __word_ptr[esi + 2]);
            a.cmp(dl, __byte_ptr[edi + ecx]);
        }, [CompiledForm.AluSizedRR, CompiledForm.AluSizedRI, CompiledForm.AluSizedRM]),
        ["alu-memory-destination"] = (a =>
        {
            a.add(__dword_ptr[esi + ecx * 4], eax);
            a.adc(__dword_ptr[esi], ebx);
            a.sub(__byte_ptr[esi + ecx], dl);
            a.and(__word_ptr[edi], 0xFFF0);
            a.cmp(__dword_ptr[esi + ecx * 4 - 4], 5);
            a.setb(dl);
            a.test(__byte_ptr[esi + 1], 0x80);
            a.setne(dh);
            a.cmp(__dword_ptr[esi], eax);
            a.adc(ebx, 0);
            a.or(__dword_ptr[edi + 4], 0x1000);
            a.xor(__word_ptr[edi + ecx * 2], bx);
            a.test(__dword_ptr[edi + 4], ebx);
            a.sbb(__byte_ptr[edi + 9], 3);
        }, [CompiledForm.AluMR, CompiledForm.AluMI]),
        ["inc-dec-neg-not"] = (a =>
        {
            a.not(eax);
            a.neg(bl);
            a.inc(dh);
            a.dec(bx);
            a.inc(__dword_ptr[esi]);
            a.dec(__word_ptr[esi + 4]);
            a.neg(__dword_ptr[esi + 8]);
            a.not(__byte_ptr[esi + 12]);
            a.adc(eax, ebx);
        }, [CompiledForm.UnaryR, CompiledForm.UnaryM]),
        ["mul-div"] = (a =>
        {
            a.mov(__dword_ptr[esi + 16], ecx);
            a.mul(ebx);
            a.imul(__dword_ptr[esi + 16]);
            a.mul(bl);
            a.imul(eax, ebx, 12345);
            a.imul(edx, __dword_ptr[esi + 16], -3);
            a.imul(ebx, __dword_ptr[esi + 16]);
            a.mov(ebp, ecx);
            a.add(ebp, 7);
            a.xor(edx, edx);
            a.div(ebp);
            a.cdq();
            a.idiv(__dword_ptr[esi + 16]);
            a.xor(edx, edx);
            a.div(__dword_ptr[esi + 16]);
            a.add(ebx, eax);
        }, [CompiledForm.MulDivR, CompiledForm.MulDivM, CompiledForm.ImulRRI, CompiledForm.ImulRMI, CompiledForm.Cdq]),
        ["shifts-by-cl-and-of-memory"] = (a =>
        {
            a.shl(eax, cl);
            a.sar(bx, cl);
            a.shr(dl, cl);
            a.shr(__dword_ptr[esi], 3);
            a.shl(__byte_ptr[esi + 1], cl);
            a.sar(__dword_ptr[esi + 4], 1);
            a.shl(__word_ptr[esi + 8], cl);
            a.adc(eax, ebx);
        }, [CompiledForm.ShiftRC, CompiledForm.ShiftM]),
        ["bit-tests"] = (a =>
        {
            a.bt(eax, ecx);
            a.setb(dl);
            a.bts(ebx, 5);
            a.btr(__dword_ptr[esi + 64], ecx); // a register offset reaches past the operand (ECX up to 300: 36 bytes on)
            a.btc(__dword_ptr[esi + 8], 3);
            a.mov(ebp, -40);
            a.bts(__dword_ptr[esi + 64], ebp); // a negative one before it
            a.bt(__word_ptr[esi + 2], 9);
            a.adc(eax, 0);
            a.btc(bx, cx);
        }, [CompiledForm.BtRR, CompiledForm.BtRI, CompiledForm.BtMR, CompiledForm.BtMI]),
        ["setcc-cmovcc"] = (a =>
        {
            a.cmp(eax, ebx);
            a.setl(al);
            a.setbe(__byte_ptr[esi + ecx]);
            a.cmovg(edx, ebx);
            a.add(eax, ecx);
            a.cmovne(bx, __word_ptr[esi]);
            a.sete(ah);
            a.cmovs(eax, __dword_ptr[esi + 4]);
        }, [CompiledForm.SetccR, CompiledForm.SetccM, CompiledForm.CmovRR, CompiledForm.CmovRM]),
        ["moves-8-16-movsx-xchg"] = (a =>
        {
            a.mov(al, cl);
            a.mov(__byte_ptr[esi + ecx], bl);
            a.mov(ah, __byte_ptr[esi + 3]);
            a.mov(dl, 0x7F);
            a.mov(__word_ptr[edi], ax);
            a.mov(bx, __word_ptr[edi + 2]);
            a.mov(__byte_ptr[edi + 5], 0x33);
            a.mov(__word_ptr[edi + 6], 0x1234);
            a.movsx(eax, bl);
            a.movsx(edx, __word_ptr[esi + ecx * 2]);
            a.movsx(bx, al);
            a.movzx(bx, dl);
            a.movsx(ebp, __byte_ptr[esi + ecx]);
            a.xchg(eax, ebx);
            a.xchg(__dword_ptr[esi + 4], edx);
            a.xchg(ah, dl);
            a.cwde();
            a.cdq();
            a.add(eax, ecx);
            a.push(__dword_ptr[esi + ecx * 4]);
            a.pop(edx);
        }, [CompiledForm.MovSizedRR, CompiledForm.MovSizedRI, CompiledForm.MovSizedRM, CompiledForm.MovSizedMR, CompiledForm.MovSizedMI,
            CompiledForm.ExtendRR, CompiledForm.ExtendRM, CompiledForm.XchgRR, CompiledForm.XchgMR, CompiledForm.Cwde, CompiledForm.Cdq, CompiledForm.PushM]),
        ["indirect-jmp-call"] = (a => a.call(IndirectTop), [CompiledForm.CallR, CompiledForm.CallM, CompiledForm.JmpR, CompiledForm.JmpM]),
    };

    /// <summary>
    /// The indirect JMP/CALL loop, at fixed addresses (Iced's 32-bit assembler has no label
    /// addresses as immediates): the body calls it once per pass; it runs CALL r32, CALL m32,
    /// JMP r32 and JMP m32 and returns.
    /// </summary>
    private const uint IndirectTop = 0x20000, IndirectFn = 0x21000, IndirectCont = 0x22000, IndirectCont2 = 0x23000;

    private static void PlaceIndirect(CpuHarness h)
    {
        h.Place(IndirectTop, a =>
        {
            a.mov(edx, IndirectFn);
            a.mov(__dword_ptr[esi], edx);
            a.call(edx);
            a.call(__dword_ptr[esi]);
            a.mov(edx, IndirectCont);
            a.jmp(edx);
        });
        h.Place(IndirectFn, a =>
        {
            a.add(ebx, ecx);
            a.ret();
        });
        h.Place(IndirectCont, a =>
        {
            a.mov(eax, IndirectCont2);
            a.mov(__dword_ptr[esi + 4], eax);
            a.jmp(__dword_ptr[esi + 4]);
        });
        h.Place(IndirectCont2, a =>
        {
            a.xor(eax, ebx);
            a.ret();
        });
    }

    private static CpuHarness RunUnder(ExecutionTier tier, Action<Assembler> code)
    {
        var h = new CpuHarness().Code(code);
        PlaceIndirect(h);
        for (uint a = 0; a < 0x1000; a += 4)
        {
            h.Machine.Memory.Write32(Data - 0x100 + a, a * 0x9E37_79B9u); // data that is not all zero
        }
        h.Cpu.UseTier(tier, 2);
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
        for (uint a = Data - 0x100; a < Data + 0x1000; a += 4)
        {
            Assert.True(expected.Machine.Memory.Read32(a) == actual.Machine.Memory.Read32(a), $"memory at {a:X8}");
        }
    }

    private static HashSet<CompiledForm> FormsOf(CpuHarness h)
    {
        var forms = new HashSet<CompiledForm>();
        foreach (Block b in h.Cpu.DecodedBlocks.Where(b => b.Compiled is not null))
        {
            for (int i = 0; i < b.Count; i++)
            {
                forms.Add(FormSelection.Select(in b.Ops[i]));
            }
        }
        return forms;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void HotLoop_OfTheForm_UnderTheChecker_EndsAsInterpreted(string name)
    {
        (Action<Assembler> body, CompiledForm[] expected) = s_bodies[name];
        CpuHarness interp = RunUnder(ExecutionTier.Interp, Loop(body));
        CpuHarness check = RunUnder(ExecutionTier.Check, Loop(body));
        CpuHarness jit = RunUnder(ExecutionTier.Jit, Loop(body));
        AssertSameState(interp, check);
        AssertSameState(interp, jit);
        Assert.True(check.Cpu.CompilerStatistics!.BlocksChecked >= 300, $"{check.Cpu.CompilerStatistics.BlocksChecked} compiled runs checked");
        HashSet<CompiledForm> forms = FormsOf(check);
        foreach (CompiledForm f in expected)
        {
            Assert.True(forms.Contains(f), $"no compiled block used {f}: {string.Join(", ", forms)}");
        }
    }

    public static TheoryData<string> FaultingBodies => [.. s_faulting.Keys];

    /// <summary>Memory forms whose operand runs past a 4 KiB data segment as ESI grows: the #GP comes in the middle of a compiled block.</summary>
    private static readonly Dictionary<string, Action<Assembler>> s_faulting = new()
    {
        ["load-to-register"] = a => a.mov(edx, __dword_ptr[esi * 4]),
        ["alu-load"] = a => a.add(edx, __dword_ptr[esi * 4]),
        ["imul-load"] = a => a.imul(edx, __dword_ptr[esi * 4]),
        ["movzx-load"] = a => a.movzx(edx, __word_ptr[esi * 4 + 2]),
        ["store-register"] = a => a.mov(__dword_ptr[esi * 4], ebx),
        ["dead-flags-then-store"] = a =>
        {
            a.shl(edx, 3);   // dead: XOR overwrites all flags before anything can see them
            a.xor(edx, ebx); // live: the store after it can fault, and the handler sees EFLAGS
            a.mov(__dword_ptr[esi * 4], edx);
        },
        ["alu-memory-destination"] = a => a.add(__dword_ptr[esi * 4], ebx),
        ["cmp-memory"] = a => a.cmp(__dword_ptr[esi * 4], 7),
        ["neg-memory"] = a => a.neg(__word_ptr[esi * 4 + 2]),
        ["xchg-memory"] = a => a.xchg(__dword_ptr[esi * 4], edx),
        ["mov-8"] = a => a.mov(__byte_ptr[esi * 4 + 3], bl),
        ["shift-memory"] = a => a.shl(__dword_ptr[esi * 4], cl),
        ["bts-memory"] = a => a.bts(__dword_ptr[esi * 4], 31),
        ["setcc-memory"] = a => a.setc(__byte_ptr[esi * 4 + 3]),
        ["push-memory"] = a => a.push(__dword_ptr[esi * 4]),
        ["mul-memory"] = a => a.mul(__dword_ptr[esi * 4]),
    };

    [Theory]
    [MemberData(nameof(FaultingBodies))]
    public void MemoryFault_InTheMiddleOfACompiledBlock_IsPrecise(string name)
    {
        Action<Assembler> form = s_faulting[name];
        void Code(Assembler a)
        {
            Label top = a.CreateLabel();
            a.mov(eax, 0x30);
            a.mov(ds, ax);
            a.xor(esi, esi);
            a.xor(ebx, ebx);
            a.mov(ecx, 5);
            a.Label(ref top);
            a.add(ebx, 3);
            a.inc(esi);
            a.mov(edx, ebx);
            form(a); // faults once ESI*4 passes the 4 KiB limit
            a.add(ebx, edx);
            a.adc(ebx, 1);
            a.jmp(top);
        }
        (int, int, CpuHarness) Fault(ExecutionTier tier)
        {
            var h = new CpuHarness();
            h.WriteDescriptor(6, 0x0040_9204_0000_0FFFul); // data, base 0x40000 (clear of the GDT and IDT it writes into), limit 0xFFF, byte-granular
            h.Code(Code);
            h.Cpu.UseTier(tier, 2);
            var (v, e) = h.RunToFault();
            return (v, e, h);
        }
        var (vi, ei, interp) = Fault(ExecutionTier.Interp);
        var (vj, ej, jit) = Fault(ExecutionTier.Jit);
        var (vc, ec, check) = Fault(ExecutionTier.Check);
        Assert.Equal(ExceptionVectors.GeneralProtection, vi);
        Assert.Equal((vi, ei), (vj, ej));
        Assert.Equal((vi, ei), (vc, ec));
        AssertSameState(interp, jit);
        AssertSameState(interp, check);
        Assert.Equal(0x400u, jit.Cpu.R[Reg.Esi]); // 0x400 * 4 = 0x1000: the first offset past the limit
        Assert.True(jit.Cpu.CompilerStatistics!.CompiledRuns > 100, $"{jit.Cpu.CompilerStatistics.CompiledRuns} compiled runs");
    }

    public static TheoryData<string> DividingBodies => [.. s_dividing.Keys];

    /// <summary>Divisions that raise #DE once ECX has counted down to zero: by zero from a register and from memory, and a quotient that does not fit.</summary>
    private static readonly Dictionary<string, Action<Assembler>> s_dividing = new()
    {
        ["div-by-zero"] = a =>
        {
            a.xor(edx, edx);
            a.div(ecx);
        },
        ["idiv-by-zero-memory"] = a =>
        {
            a.mov(__dword_ptr[Data], ecx);
            a.cdq();
            a.idiv(__dword_ptr[Data]);
        },
        ["div-quotient-too-large"] = a =>
        {
            a.mov(edx, 1);
            a.sub(edx, ecx); // 1 - ECX: EDX >= ECX (a quotient past 32 bits) once ECX is 0
            a.and(edx, 1);
            a.lea(ebp, __dword_ptr[ecx + 1]);
            a.div(ebp);
        },
    };

    [Theory]
    [MemberData(nameof(DividingBodies))]
    public void DivideError_InTheMiddleOfACompiledBlock_IsPrecise(string name)
    {
        Action<Assembler> form = s_dividing[name];
        void Code(Assembler a)
        {
            Label top = a.CreateLabel();
            a.mov(ecx, 400);
            a.xor(ebx, ebx);
            a.Label(ref top);
            a.add(ebx, 5);
            a.mov(eax, ebx);
            form(a);
            a.add(edi, eax);
            a.dec(ecx);
            a.jmp(top);
        }
        (int, CpuHarness) Fault(ExecutionTier tier)
        {
            var h = new CpuHarness().Code(Code);
            h.Cpu.UseTier(tier, 2);
            var (v, _) = h.RunToFault();
            return (v, h);
        }
        var (vi, interp) = Fault(ExecutionTier.Interp);
        var (vj, jit) = Fault(ExecutionTier.Jit);
        var (vc, check) = Fault(ExecutionTier.Check);
        Assert.Equal(ExceptionVectors.DivideError, vi);
        Assert.Equal(vi, vj);
        Assert.Equal(vi, vc);
        AssertSameState(interp, jit);
        AssertSameState(interp, check);
        Assert.True(jit.Cpu.CompilerStatistics!.CompiledRuns > 100, $"{jit.Cpu.CompilerStatistics.CompiledRuns} compiled runs");
    }

    /// <summary>The compiler's own choice of form from the decoded operands; what it cannot compile exactly stays with the interpreter.</summary>
    [Theory]
    [InlineData(new byte[] { 0x90 }, nameof(CompiledForm.Nop))]
    [InlineData(new byte[] { 0x0F, 0x1F, 0x00 }, nameof(CompiledForm.Nop))] // nop [eax]: no access
    [InlineData(new byte[] { 0xF3, 0x90 }, nameof(CompiledForm.Nop))] // pause
    [InlineData(new byte[] { 0x00, 0xC8 }, nameof(CompiledForm.AluSizedRR))] // add al, cl
    [InlineData(new byte[] { 0x01, 0x03 }, nameof(CompiledForm.AluMR))] // add [ebx], eax
    [InlineData(new byte[] { 0x83, 0x3B, 0x05 }, nameof(CompiledForm.AluMI))] // cmp dword [ebx], 5
    [InlineData(new byte[] { 0xF0, 0x01, 0x03 }, nameof(CompiledForm.Interpreted))] // lock add [ebx], eax
    [InlineData(new byte[] { 0x67, 0x01, 0x00 }, nameof(CompiledForm.Interpreted))] // add [bx+si], eax: 16-bit addressing
    [InlineData(new byte[] { 0x0F, 0xA3, 0xC8 }, nameof(CompiledForm.BtRR))] // bt eax, ecx
    [InlineData(new byte[] { 0xF7, 0x33 }, nameof(CompiledForm.MulDivM))] // div dword [ebx]
    [InlineData(new byte[] { 0x0F, 0x94, 0xC0 }, nameof(CompiledForm.SetccR))] // sete al
    [InlineData(new byte[] { 0x99 }, nameof(CompiledForm.Cdq))]
    [InlineData(new byte[] { 0xFF, 0xD0 }, nameof(CompiledForm.CallR))] // call eax
    [InlineData(new byte[] { 0xFF, 0x10 }, nameof(CompiledForm.CallM))] // call [eax]
    [InlineData(new byte[] { 0xFF, 0x18 }, nameof(CompiledForm.Interpreted))] // call far [eax]
    [InlineData(new byte[] { 0xFF, 0x20 }, nameof(CompiledForm.JmpM))] // jmp [eax]
    [InlineData(new byte[] { 0xD1, 0xC0 }, nameof(CompiledForm.Interpreted))] // rol eax, 1: rotates keep flags the shifts do not
    [InlineData(new byte[] { 0xD3, 0xE0 }, nameof(CompiledForm.ShiftRC))] // shl eax, cl
    [InlineData(new byte[] { 0xFB }, nameof(CompiledForm.Interpreted))] // sti: a system instruction
    [InlineData(new byte[] { 0x8E, 0xD8 }, nameof(CompiledForm.Interpreted))] // mov ds, eax
    [InlineData(new byte[] { 0x88, 0x03 }, nameof(CompiledForm.MovSizedMR))] // mov [ebx], al
    [InlineData(new byte[] { 0x0F, 0xBE, 0x03 }, nameof(CompiledForm.ExtendRM))] // movsx eax, byte [ebx]
    public void FormSelection_ChoosesFromTheDecodedOperands(byte[] code, string expected)
    {
        Decoder decoder = Decoder.Create(32, new ByteArrayCodeReader(code));
        Instruction ins = decoder.Decode();
        Assert.Equal(code.Length, ins.Length);
        DecodedOp op = InstructionDecoder.Decode(in ins);
        Assert.Equal(expected, FormSelection.Select(in op).ToString());
    }
}
