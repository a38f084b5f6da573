using Minix318Emu.Emulator.Processor.Compiler;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Direct links between compiled blocks: after a compiled block has run to its end, its linked
/// successor runs next without going back through the run loop and the block entry, as long
/// as nothing those would do applies. Each check below is one the run loop (<see cref="Run"/>)
/// or the block entry (<see cref="ExecuteBlock"/>) makes between two blocks; when any of them
/// would act (an interrupt to deliver, a hook, single-step, the budget, a stale link, a block
/// not compiled yet) the chain stops and they take over, so what the guest sees is exactly
/// what the one-block-at-a-time path does. Blocks are 5 to 6 instructions on the MINIX boot,
/// so the cost between two blocks is a large part of what a compiled block costs at all.
/// </summary>
public sealed partial class Cpu
{
    private CompiledTier? _chainTier; // the compiled tier when it is the executor (never the checker: it checks every run)

    /// <summary>
    /// Runs the compiled successors of <paramref name="b"/>, which has just run to its end, for as
    /// long as nothing else needs to happen between blocks. The block that last ran whole is left
    /// in <see cref="_prevBlock"/> once, on the way out, not at every step (a reference store is a
    /// GC write barrier), and the counters are added up on the way out too; a fault out of a
    /// block (a <see cref="CpuFault"/>) leaves <see cref="_prevBlock"/> null (<see cref="ExecuteBlock"/>'s handler); after a
    /// <see cref="Machine.MachineStopException"/> it may still name an earlier block of the chain, which
    /// only costs a relink (a link is taken only where <see cref="LinkMatches"/> the address).
    /// </summary>
    private void RunChain(Block b, CompiledTier tier)
    {
        long steps = 0;
        try
        {
            while (true)
            {
                // The run loop's checks: budget, stop, halt, interrupt shadow, NMI, external interrupt, TF/RF, data breakpoints.
                if (InstructionCount >= _runUntil || _stopRequested || Halted || InterruptShadow || NmiDeliverable
                    || (IF && InterruptController is { InterruptPending: true })
                    || (FlagsOther & (EFlags.TF | EFlags.RF)) != 0 || DataBreakpointHits != 0)
                {
                    _prevBlock = b;
                    return;
                }
                // The block entry's: return watches, the link as ExecuteBlock takes it (without a relink), hooks, the CS limit, the budget.
                if (_pendingReturnCount > 0 || _exitBlock)
                {
                    _prevBlock = b;
                    return;
                }
                Block? next = b.Link;
                ref SegmentCache cs = ref Seg[SegReg.Cs];
                uint eip = Eip;
                uint lin = cs.Base + eip;
                if (next is null || !LinkMatches(b, lin) || b.LinkEpoch != _epoch
                    || next.Linear != lin || next.Hooked || next.Compiled is not { } code
                    || eip > cs.Limit || eip + next.Ops[0].Len - 1u > cs.Limit
                    || (ulong)next.Count > _runUntil - InstructionCount)
                {
                    _prevBlock = b;
                    return;
                }
                steps++;
                HookDoneAt = 0xFFFF_FFFF;
                if (!code(this))
                {
                    _prevBlock = null; // it ended early: nothing links from it, as after ExecuteBlock's run
                    return;
                }
                b = next;
            }
        }
        finally
        {
            Counters.BlocksRun += steps;
            Counters.ChainHits += steps;
            tier.Statistics.CompiledRuns += steps;
            tier.Statistics.ChainedRuns += steps;
        }
    }
}
