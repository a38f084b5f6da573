namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// The compiled tier as a <see cref="IBlockExecutor"/>: a block runs in the interpreter until it
/// has run <see cref="Threshold"/> times, is then compiled (on the compile thread, or at once
/// when <see cref="Synchronous"/>), and runs as host code from then on whenever it runs whole.
/// A block cut short by the instruction budget runs in the interpreter. The code cache is
/// bounded by <see cref="MaxCompiledBlocks"/>: when full, every compiled block is dropped and
/// heats up again (as QEMU flushes its translation buffer), which keeps the cold code of a
/// long run from holding memory.
/// </summary>
internal sealed class CompiledTier : IBlockExecutor
{
    private readonly Cpu _cpu;
    private readonly object _installLock = new();
    private readonly List<Block> _compiled = new();

    public CompiledTier(Cpu cpu, bool synchronous, int threshold)
    {
        _cpu = cpu;
        Synchronous = synchronous;
        Threshold = threshold;
    }

    /// <summary>Runs in the interpreter before a block is compiled (1: compiled before its first run, when synchronous).</summary>
    public int Threshold { get; }

    /// <summary>The most compiled blocks held at once.</summary>
    public int MaxCompiledBlocks { get; init; } = 32768;

    /// <summary>Compile on the guest's thread at the threshold (deterministic compile points, for the checker and tests).</summary>
    public bool Synchronous { get; }

    /// <summary>Counts of what the tier did.</summary>
    public CompilerStatistics Statistics { get; } = new();

    /// <inheritdoc/>
    public bool Run(Block block, int count)
    {
        CompiledCode? code = block.Compiled ?? Heat(block);
        if (code is not null && count == block.Count && !_cpu.BlockExitRequested)
        {
            Statistics.CompiledRuns++;
            return code(_cpu);
        }
        Statistics.InterpretedRuns++;
        return _cpu.RunOps(block, count);
    }

    /// <summary>
    /// Counts a run of a block that has no code yet; at the threshold has it compiled: at once on
    /// this thread when <see cref="Synchronous"/> (the code is returned), else on the compile thread.
    /// </summary>
    internal CompiledCode? Heat(Block block)
    {
        if (++block.Heat != Threshold)
        {
            return null;
        }
        if (Synchronous)
        {
            CompiledCode code = CompileWorker.CompileNow(block, Statistics);
            Install(block, code);
            return code;
        }
        if (!CompileWorker.Request(block, this))
        {
            block.Heat = 0; // queue full: ask again after another round of runs
        }
        return null;
    }

    /// <summary>Publishes <paramref name="code"/> for <paramref name="block"/>, making room in the code cache first if it is full.</summary>
    public void Install(Block block, CompiledCode code)
    {
        lock (_installLock)
        {
            if (_compiled.Count >= MaxCompiledBlocks)
            {
                foreach (Block b in _compiled)
                {
                    b.Compiled = null;
                    b.Heat = 0;
                }
                _compiled.Clear();
                Statistics.CacheFlushes++;
            }
            _compiled.Add(block);
            block.Compiled = code;
        }
    }
}
