namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>What the compiled tier did: for `bench` and the run summary.</summary>
public sealed class CompilerStatistics
{
    /// <summary>Blocks compiled to host code.</summary>
    public long BlocksCompiled;

    /// <summary>IL bytes emitted for them.</summary>
    public long IlBytes;

    /// <summary>Time spent compiling (IL emission and .NET's JIT), in stopwatch ticks, on the compile thread.</summary>
    public long CompileTicks;

    /// <summary>Block runs that took compiled code.</summary>
    public long CompiledRuns;

    /// <summary>Of the compiled runs, those entered straight from the previous compiled block through its link, without the run loop.</summary>
    public long ChainedRuns;

    /// <summary>Block runs in the interpreter (cold blocks, blocks cut short by an instruction budget).</summary>
    public long InterpretedRuns;

    /// <summary>Times the code cache was full and every compiled block was dropped.</summary>
    public long CacheFlushes;

    /// <summary>Compiled blocks checked against the interpreter (<see cref="ExecutionTier.Check"/>).</summary>
    public long BlocksChecked;

    /// <summary>Compiled block runs the checker could not run twice (they reached a device, or changed translation or mode): the interpreter's result stands.</summary>
    public long BlocksUnchecked;

    /// <summary>Blocks the compiler failed on (a compiler bug; they stay interpreted).</summary>
    public long CompileFailures;

    /// <summary>The last compile failure, or null.</summary>
    public string? LastCompileFailure;

    /// <summary>Compile time in milliseconds.</summary>
    public double CompileMilliseconds => CompileTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
