using Minix318Emu.Emulator.Processor.Compiler;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Which tier executes blocks (<c>--tier</c>): the interpreter, or the compiled tier over it.</summary>
public sealed partial class Cpu
{
    /// <summary>
    /// Runs in the interpreter before the compiled tier compiles a block. On the real MINIX boot
    /// (52 700 blocks decoded) 4 000 runs compile 1 077 blocks that then run 83 % of the
    /// instructions; 1 000 runs compiled 3 069 (92 %) and 64 runs 8 145 (98.7 %), but .NET's JIT
    /// takes ~0.5-1 ms per block, and measured side by side (guest thread / compile thread CPU,
    /// wall): 64 runs 6.6-7.3 / 4.8-5.3 s, 1 000 runs 5.7-6.3 / 2.3-2.9 s, 8.7-10.2 s wall,
    /// 4 000 runs 5.0-6.1 / 0.9-1.1 s, 6.5-8.3 s wall (interpreter 6.4 s, 6.9-7.3 s wall).
    /// </summary>
    internal const int JitThreshold = 4000;

    /// <summary>
    /// The tier a new CPU starts with: the environment variable MINIX318EMU_TIER (interp, jit or
    /// check) when set, which lets a whole test run use another tier (CI runs the CPU and guest
    /// tests under <c>check</c> this way); otherwise <see cref="ExecutionTier.Interp"/>.
    /// </summary>
    /// <remarks>
    /// A getter, not an initialised property: static initialisers run in the order they are
    /// written, and this one, written before <see cref="EnvironmentTier"/>'s, read it still null,
    /// so from 6f7663a to 2026-12-08 every in-process machine ran the interpreter whatever the
    /// variable said (CI's tier passes among them).
    /// </remarks>
    public static ExecutionTier DefaultTier => EnvironmentTier ?? ExecutionTier.Interp;

    /// <summary>The tier MINIX318EMU_TIER names, or null when it is unset or empty (the command line then picks its own default).</summary>
    public static ExecutionTier? EnvironmentTier { get; } = TierFromEnvironment();

    private static ExecutionTier? TierFromEnvironment()
    {
        string? name = Environment.GetEnvironmentVariable("MINIX318EMU_TIER");
        if (string.IsNullOrEmpty(name))
        {
            return null;
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
