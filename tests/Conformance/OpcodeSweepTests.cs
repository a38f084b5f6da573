using Iced.Intel;
using Minix318Emu.Cli.Conformance;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Tests.Cpu;
using Xunit;

namespace Minix318Emu.Tests.Conformance;

/// <summary>
/// Every legacy 32-bit encoding of the instruction set the CPU claims (8086 to Pentium Pro with
/// CMOV, CX8 and the x87, from Iced's tables) executes: none stops as unimplemented, and only the
/// deliberately undefined ones raise #UD, as the hardware does.
/// </summary>
public class OpcodeSweepTests
{
    /// <summary>The instructions whose architectural behaviour is #UD here: the UD family, and RSM outside SMM.</summary>
    private static readonly Mnemonic[] s_undefinedByDesign = { Mnemonic.Ud0, Mnemonic.Ud1, Mnemonic.Ud2, Mnemonic.Rsm };

    [Fact]
    public void EveryPentiumClassForm_RunsWithoutUnimplementedOrUnexpectedUd()
    {
        var unexpected = new List<string>();
        int forms = 0;
        foreach (var (code, ins) in new CaseGenerator(7).SampleEveryForm())
        {
            forms++;
            var h = new CpuHarness();
            var a = new Assembler(32);
            a.fninit();
            a.AddInstruction(ins);
            a.hlt();
            using var ms = new MemoryStream();
            a.Assemble(new StreamCodeWriter(ms), CpuHarness.CodeBase);
            h.Machine.Memory.WriteBytes(CpuHarness.CodeBase, ms.ToArray());
            h.Cpu.Eip = CpuHarness.CodeBase;
            // Memory operands are based on EBP, ESI or EDI (offsets -16..48): all point at ordinary RAM.
            h.Cpu.R[Reg.Ebp] = h.Cpu.R[Reg.Esi] = h.Cpu.R[Reg.Edi] = 0x20010;
            int first = -1;
            h.Cpu.ExceptionRaised = (v, _) => first = first < 0 ? v : first;
            RunResult r = h.Run(64);
            bool ud = first == ExceptionVectors.InvalidOpcode;
            bool expectedUd = s_undefinedByDesign.Contains(code.Mnemonic());
            if (r.Reason == StopReason.Unimplemented || ud != expectedUd)
            {
                unexpected.Add($"{code}: {(r.Reason == StopReason.Unimplemented ? r.Message : ud ? "#UD" : "no #UD")}");
            }
        }
        Assert.True(forms > 600, $"only {forms} forms sampled");
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }
}
