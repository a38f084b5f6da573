using Minix318Emu.Emulator.Processor;
using Minix318Emu.Emulator.Processor.Compiler;

namespace Minix318Emu.Cli.Configuration;

/// <summary>
/// The execution tier of the command line when no --tier is given: the compiled tier, which on
/// the real MINIX boot to login: runs 1.2-1.4x faster than the interpreter with the same trace
/// byte for byte (README, Execution tiers). MINIX318EMU_TIER, when set, chooses for the command
/// line as it does for every machine a process makes (CI's checker pass relies on that). A
/// machine built in-process without a tier keeps <see cref="Cpu.DefaultTier"/>, the interpreter.
/// </summary>
public static class TierDefault
{
    /// <summary>The tier for a verb run without --tier.</summary>
    public static ExecutionTier ForCommandLine => Cpu.EnvironmentTier ?? ExecutionTier.Jit;
}
