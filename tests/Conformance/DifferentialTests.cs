using Minix318Emu.Cli.Conformance;
using Minix318Emu.Tests.Support;
using Xunit;

namespace Minix318Emu.Tests.Conformance;

/// <summary>
/// The CPU against QEMU on generated cases (the fixed-seed CI run), and the generator and
/// comparer themselves: deterministic, and a real difference is reported.
/// </summary>
public class DifferentialTests
{
    private const int CiSeed = 20261125;

    [SkippableFact]
    public void FixedSeed_EveryFamily_AgreesWithQemu_ExceptDocumentedDepartures()
    {
        string? qemu = Repo.Which("qemu-system-i386");
        Skip.If(qemu is null, "qemu-system-i386 is not installed");
        string work = Path.Combine(Path.GetTempPath(), "minix318emu-conformance-test-" + Environment.ProcessId);
        try
        {
            // 1000 cases per family: the 32-bit families as before, and the three 16-bit ones (real mode, 16-bit protected mode, virtual-8086 mode).
            ConformanceReport report = ConformanceRun.Run(Repo.Guest("conform"), qemu!, CiSeed, 12000, CaseGenerator.Families, work);
            Assert.Equal(12000, report.TotalCases);
            Assert.Equal(CaseGenerator.Families.Length, report.Families.Count);
            Assert.All(report.Families, f => Assert.Equal(1000, f.Cases));
            string details = string.Join("\n", report.Mismatches.Take(10).Select(m => $"case {m.Index} ({m.Family}) {m.Text}: {string.Join("; ", m.Differences)}"));
            Assert.True(report.TotalMismatches == 0, details);
            // The system family really exercises faults: about half its cases end in an exception on both CPUs.
            Assert.True(report.Families.Single(f => f.Family == "system").Faulted > 300);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("real16", CaseMode.Real)]
    [InlineData("pm16", CaseMode.Protected16)]
    [InlineData("vm86", CaseMode.Vm86)]
    public void SixteenBitFamilies_RunInTheirMode_AndCoverEveryFarPointerAndStackSizeForm(string family, CaseMode mode)
    {
        List<ConformanceCase> cases = new CaseGenerator(7).Generate(1500, new[] { family });
        Assert.All(cases, c => Assert.Equal(mode, c.Mode));
        Assert.All(cases, c => Assert.Equal(5, c.Segments!.Length));
        Assert.All(cases, c => Assert.True(c.Code.Length <= HarnessLayout.MaxCode));
        // Each form with and without the operand-size prefix (Iced spells a 32-bit operand in 16-bit code data32, pushd...).
        string[] forms =
        {
            "call far dword ptr", "call far fword ptr", "jmp far dword ptr", "jmp far fword ptr", // m16:16 and m16:32
            "ret far", "iret", "lds ", "lss ", "enter", "leave", "pusha", "popa", "pop ss", "push cs", "xlat", "loop",
        };
        foreach (string form in forms)
        {
            Assert.Contains(cases, c => c.Text.Contains(form, StringComparison.Ordinal));
        }
        // Both address sizes: [esi]-style operands need the 0x67 prefix, [bx+si]-style ones do not.
        Assert.Contains(cases, c => c.Code.Contains((byte)0x67));
        Assert.Contains(cases, c => c.Text.Contains("[bx+si", StringComparison.Ordinal));
        if (mode == CaseMode.Protected16)
        {
            // POP SS between the 16-bit and the 32-bit stack segment, at both operand sizes (issue 14, finding 2).
            Assert.Contains(cases, c => c.Text.Contains("push 93h; pop ss", StringComparison.Ordinal));
            Assert.Contains(cases, c => c.Text.Contains("data32 push 93h; data32 pop ss", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Generator_IsDeterministicForASeed_AndSeedsDiffer()
    {
        byte[] Module(int seed)
        {
            var cases = new CaseGenerator(seed).Generate(200, CaseGenerator.Families);
            string path = Path.GetTempFileName();
            try
            {
                ConformanceCase.WriteModule(path, cases);
                return File.ReadAllBytes(path);
            }
            finally
            {
                File.Delete(path);
            }
        }
        Assert.Equal(Module(3), Module(3));
        Assert.NotEqual(Module(3), Module(4));
    }

    [Fact]
    public void Comparer_ReportsADifferentRegister_AndIgnoresOnlyUndefinedFlags()
    {
        ConformanceCase c = new CaseGenerator(1).Next("muldiv") is var g ? new ConformanceCase
        {
            Family = g.Family,
            Text = g.Text,
            Registers = g.Registers,
            Eflags = g.Eflags,
            Data = g.Data,
            Code = g.Code,
            UndefinedFlags = 0x10, // AF undefined
        } : throw new InvalidOperationException();
        string data = new string('0', 128);
        string Line(uint eax, uint eflags) =>
            $"C 00000000 ffffffff 00000000 00000000 {eax:x8} 0 0 0 00c04e00 0 0 0 {eflags:x8} 0 10 10 10 10 10 08 {data}";
        CaseResult Parse(string line) => CaseResult.ParseAll(line)[0];

        Assert.Empty(CaseComparer.Compare(c, Parse(Line(1, 0x002)), Parse(Line(1, 0x012)))); // AF differs: undefined
        List<string> flags = CaseComparer.Compare(c, Parse(Line(1, 0x002)), Parse(Line(1, 0x003)));
        Assert.Contains(flags, d => d.StartsWith("eflags", StringComparison.Ordinal)); // CF differs: defined
        List<string> reg = CaseComparer.Compare(c, Parse(Line(1, 0x002)), Parse(Line(2, 0x002)));
        Assert.Equal("eax: ours 00000001, reference 00000002", Assert.Single(reg));
    }
}
