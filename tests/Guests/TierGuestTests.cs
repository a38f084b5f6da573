using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor.Compiler;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// The project's guests under each execution tier: the compiled tier must give the
/// interpreter's serial output, end and instruction count, byte for byte, and the checker
/// (<see cref="ExecutionTier.Check"/>: every block compiled before its first run and every
/// compiled run compared with the interpreter on the same state) must find no difference.
/// </summary>
public sealed class TierGuestTests
{
    private static GuestRunner.Outcome Run(string guest, ExecutionTier tier, string append = "") =>
        GuestRunner.Run(Repo.Guest(guest), append: append, configure: pc => pc.Machine.Cpu.Tier = tier);

    [Theory]
    [InlineData("demo")]
    [InlineData("selfcheck")]
    [InlineData("tasks")]
    [InlineData("vm86")]
    [InlineData("irqwin")]
    [InlineData("apic")]
    [InlineData("acpi")]
    public void Guest_UnderTheChecker_NoDifference_SameOutputAsTheInterpreter(string guest)
    {
        var interp = Run(guest, ExecutionTier.Interp);
        var check = Run(guest, ExecutionTier.Check);
        Assert.Equal(interp.Serial, check.Serial);
        Assert.Equal(interp.Result.Reason, check.Result.Reason);
        Assert.Equal(interp.Result.ExitCode, check.Result.ExitCode);
        Assert.Equal(interp.Result.Instructions, check.Result.Instructions);
        CompilerStatistics s = check.Pc.Machine.Cpu.CompilerStatistics!;
        Assert.True(s.BlocksChecked > 0, $"{guest}: no compiled run was checked ({s.BlocksUnchecked} unchecked)");
    }

    /// <summary>The compute guests under the compiled tier as it runs by default (background compiles): same output and instruction count.</summary>
    [Theory]
    [InlineData("bench", "")]
    [InlineData("irqbench", "")]
    [InlineData("slowpath", "cr")]
    public void ComputeGuest_Compiled_SameOutputAndCountAsTheInterpreter(string guest, string append)
    {
        var interp = Run(guest, ExecutionTier.Interp, append);
        var jit = Run(guest, ExecutionTier.Jit, append);
        Assert.Equal(StopReason.GuestExit, jit.Result.Reason);
        Assert.Equal(interp.Serial, jit.Serial);
        Assert.Equal(interp.Result.Instructions, jit.Result.Instructions);
        Assert.True(jit.Pc.Machine.Cpu.CompilerStatistics!.BlocksCompiled > 0);
    }

    /// <summary>The MINIX318-model guest traced under the checker: the trace is the interpreter's, byte for byte.</summary>
    [Fact]
    public void ModelTrace_UnderTheChecker_IsTheInterpretersByteForByte()
    {
        string dir = Directory.CreateTempSubdirectory("minix318emu-tier-").FullName;
        try
        {
            var interp = TraceRunner.Run(Path.Combine(dir, "interp.m318"), tier: ExecutionTier.Interp);
            var check = TraceRunner.Run(Path.Combine(dir, "check.m318"), tier: ExecutionTier.Check);
            Assert.Equal(interp.Serial, check.Serial);
            Assert.Equal(File.ReadAllBytes(interp.TracePath), File.ReadAllBytes(check.TracePath));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
