using Minix318Emu.Emulator.Processor.Compiler;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Which tier executes blocks (<c>--tier</c>): the interpreter, or the compiled tier over it.</summary>
public sealed partial class Cpu
{
    /// <summary>
    /// Runs in the interpreter before the compiled tier compiles a block. On the real MINIX boot
    /// (52 700 blocks decoded) 1 000 runs compile 3 069 blocks that then run 92 % of the
    /// instructions, where 64 runs compiled 8 145 blocks for 98.7 %: the compile thread's work
    /// (.NET's JIT, ~0.4-0.9 ms per block) fell from ~5 s to ~2.3 s of CPU, and the guest's
    /// thread took no longer.
    /// </summary>
    internal const int JitThreshold = 1000;

    /// <summary>
    /// The tier a new CPU starts with: the environment variable MINIX318EMU_TIER (interp, jit or
    /// check) when set, which lets a whole test run use another tier (CI runs the CPU and guest
    /// tests under <c>check</c> this way); otherwise <see cref="ExecutionTier.Interp"/>.
    /// </summary>
    public static ExecutionTier DefaultTier { get; } = TierFromEnvironment();

    private static ExecutionTier TierFromEnvironment()
    {
        string? name = Environment.GetEnvironmentVariable("MINIX318EMU_TIER");
        if (string.IsNullOrEmpty(name))
        {
            return ExecutionTier.Interp;
        }
        return Enum.TryParse(name, ignoreCase: true, out ExecutionTier t) && Enum.IsDefined(t)
            ? t
            : throw new InvalidOperationException($"MINIX318EMU_TIER={name}: not a tier (interp, jit or check)");
    }

    private ExecutionTier _tier = ExecutionTier.Interp;

    /// <summary>The execution tier; changing it drops compiled code (decoded blocks stay).</summary>
    public ExecutionTier Tier
    {
        get => _tier;
        set => Install(value, CreateExecutor(value));
    }

    private IBlockExecutor CreateExecutor(ExecutionTier tier) => tier switch
    {
        ExecutionTier.Interp => new Interpreter(this),
        ExecutionTier.Jit => new CompiledTier(this, synchronous: false, JitThreshold),
        ExecutionTier.Check => new CheckedTier(this),
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "unknown execution tier"),
    };

    /// <summary>
    /// Installs <paramref name="tier"/>; under <see cref="ExecutionTier.Jit"/> with a compile threshold of
    /// <paramref name="threshold"/> runs, compiling on this thread (tests: deterministic compile points).
    /// The checker always compiles before a block's first run.
    /// </summary>
    internal void UseTier(ExecutionTier tier, int threshold) =>
        Install(tier, tier == ExecutionTier.Jit ? new CompiledTier(this, synchronous: true, threshold) : CreateExecutor(tier));

    /// <summary>Makes <paramref name="executor"/> the one that runs blocks; compiled code goes with the blocks, the checker's journal with the checker.</summary>
    private void Install(ExecutionTier tier, IBlockExecutor executor)
    {
        if (_executor is CheckedTier && executor is not CheckedTier)
        {
            Journal = null; // a new checker has already set its own
        }
        _tier = tier;
        _executor = executor;
        _chainTier = executor as CompiledTier;
        InvalidateAllBlocks();
    }

    /// <summary>The decoded blocks (tests).</summary>
    internal IEnumerable<Block> DecodedBlocks => _blocks.Values;

    /// <summary>What the compiled tier did; null under the interpreter.</summary>
    public CompilerStatistics? CompilerStatistics => _executor switch
    {
        CompiledTier c => c.Statistics,
        CheckedTier k => k.Statistics,
        _ => null,
    };
}
