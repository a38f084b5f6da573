using System.Collections.Concurrent;
using System.Diagnostics;

namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// The compile thread shared by every machine in the process: takes hot blocks from a queue,
/// compiles them (<see cref="BlockCompiler"/>) and has .NET's JIT turn the IL into host code
/// there, then publishes the code on the block. The guest's thread never waits for it: it
/// interprets the block until the code appears. What a block computes does not depend on
/// which tier ran it, so when the code appears does not change anything the guest sees.
/// </summary>
internal static class CompileWorker
{

    private const int MaxQueued = 4096;

    private static readonly BlockingCollection<(Block Block, CompiledTier Tier)> s_queue = new(new ConcurrentQueue<(Block, CompiledTier)>(), MaxQueued);
    private static readonly Lazy<Thread> s_thread = new(Start);

    /// <summary>Queues <paramref name="block"/> for compiling; false when the queue is full (the block stays interpreted and is asked for again later).</summary>
    public static bool Request(Block block, CompiledTier tier)
    {
        _ = s_thread.Value;
        return s_queue.TryAdd((block, tier));
    }

    private static Thread Start()
    {
        var t = new Thread(Loop) { IsBackground = true, Name = "block compiler", Priority = ThreadPriority.BelowNormal };
        t.Start();
        return t;
    }

    private static void Loop()
    {
        foreach (var (block, tier) in s_queue.GetConsumingEnumerable())
        {
            if (block.Valid && block.Compiled is null)
            {
                try
                {
                    tier.Install(block, CompileNow(block, tier.Statistics));
                }
                catch (Exception e) when (e is InvalidProgramException or NotSupportedException or InvalidOperationException or ArgumentException)
                {
                    // A compiler bug must not take the machine down: the block stays interpreted, and the
                    // failure is counted and named in the run summary.
                    Interlocked.Increment(ref tier.Statistics.CompileFailures);
                    tier.Statistics.LastCompileFailure = $"block at physical {block.Phys:X8}: {e.GetType().Name}: {e.Message}";
                }
            }
        }
    }

    /// <summary>Compiles <paramref name="block"/> and its host code on the calling thread.</summary>
    public static CompiledCode CompileNow(Block block, CompilerStatistics stats)
    {
        long t0 = Stopwatch.GetTimestamp();
        CompiledCode code = BlockCompiler.Compile(block, out int ilBytes);
        code(null); // JIT it here
        Interlocked.Add(ref stats.CompileTicks, Stopwatch.GetTimestamp() - t0);
        Interlocked.Add(ref stats.IlBytes, ilBytes);
        Interlocked.Increment(ref stats.BlocksCompiled);
        return code;
    }
}
