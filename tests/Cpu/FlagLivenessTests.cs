using Iced.Intel;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Emulator.Processor.Compiler;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Cpu;

/// <summary>
/// Which flag records the compiled code may leave out: only those a later instruction of the
/// same block overwrites completely before anything could see them. Each case is a real
/// instruction sequence, assembled and decoded as the block decoder does.
/// </summary>
public class FlagLivenessTests
{
    private static bool[] Needed(Action<Assembler> code)
    {
        var a = new Assembler(32);
        code(a);
        var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), 0x1000);
        byte[] bytes = stream.ToArray();
        var decoder = Decoder.Create(32, new ByteArrayCodeReader(bytes), 0x1000);
        var ops = new List<DecodedOp>();
        while (decoder.IP < 0x1000 + (ulong)bytes.Length)
        {
            Instruction ins = decoder.Decode();
            ops.Add(InstructionDecoder.Decode(in ins));
        }
        var block = new Block(0x1000, true, [.. ops], ops.Count, 0x1000, 0x1000, hooked: false);
        CompiledForm[] forms = [.. ops.Select(op => FormSelection.Select(in op))];
        return FlagLiveness.Needed(block, forms);
    }

    [Fact]
    public void Records_OverwrittenByTheNextAluOperation_AreDead_AndTheLastIsLive()
    {
        bool[] needed = Needed(a =>
        {
            a.shl(ecx, 5);
            a.xor(ecx, eax);
            a.shr(eax, 3);
            a.add(eax, edx);
            a.add(eax, ecx);
            a.ret();
        });
        Assert.Equal([false, false, false, false, true, true], needed);
    }

    [Fact]
    public void Moves_AndLea_InBetween_DoNotKeepARecordAlive()
    {
        bool[] needed = Needed(a =>
        {
            a.add(eax, ebx);
            a.mov(ecx, edx);
            a.lea(edx, __dword_ptr[eax + 4]);
            a.cmp(ecx, 7);
            a.jne(0x1000);
        });
        Assert.Equal([false, false, false, true, true], needed);
    }

    [Fact]
    public void A_Reader_OrSomethingThatCanFault_KeepsTheRecordBeforeItAlive()
    {
        bool[] needed = Needed(a =>
        {
            a.xor(eax, eax);
            a.inc(ebx);                  // INC keeps CF: it reads XOR's (and its own record is dead: ADD)
            a.add(eax, ebx);
            a.mov(__dword_ptr[esi], eax); // can fault: the handler sees ADD's flags
            a.sub(eax, 1);
            a.adc(ebx, 0);                // reads SUB's CF
            a.imul(ecx, ecx, 3);
            a.cmp(eax, ecx);
            a.jb(0x1000);
        });
        Assert.Equal([true, false, true, false, true, false, false, true, true], needed);
    }

    [Fact]
    public void A_ShiftByZero_ChangesNoFlag_AndAnInterpretedInstruction_ReadsThemAll()
    {
        bool[] needed = Needed(a =>
        {
            a.add(eax, ebx);
            a.shl(eax, 0);  // no flags change: ADD's record must reach the PUSHFD
            a.pushfd();     // the interpreter's dispatch
            a.sub(eax, ebx);
            a.sub(eax, ebx);
            a.ret();
        });
        Assert.Equal([true, true, false, false, true, true], needed);
    }

    [Fact]
    public void A_Load_ThatCanEndTheBlockAfterItself_KeepsItsOwnRecord()
    {
        bool[] needed = Needed(a =>
        {
            a.add(eax, __dword_ptr[esi]);  // a watchpoint or data breakpoint on [esi] ends the block here: its flags are seen
            a.imul(ecx, __dword_ptr[esi]); // likewise
            a.sub(ebx, edx);
            a.ret();
        });
        Assert.Equal([true, true, true, true], needed);
    }
}
