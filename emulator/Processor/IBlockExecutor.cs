namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Runs decoded blocks: the seam between the dispatch loop (<see cref="Cpu.Run"/>: interrupts,
/// block lookup and chaining, hooks, limits) and whatever executes a block's instructions. The
/// interpreter implements it; a compiled tier implements it too and falls back to the
/// interpreter for what it does not compile. An implementation runs the first
/// <c>count</c> instructions of the block on the CPU's <see cref="CpuState"/>, and for each one retired
/// advances EIP and <see cref="CpuState.InstructionCount"/> exactly as the interpreter does; on
/// a fault it throws the CPU's fault with EIP, registers and memory as they were before the
/// faulting instruction (precise exceptions); it stops after an instruction that asked the
/// block to end (a write to code, an interrupt request, a watchpoint).
/// </summary>
internal interface IBlockExecutor
{
    /// <summary>Runs the first <paramref name="count"/> instructions of <paramref name="block"/>; true when it ran to the block's end, so the block may be chained to the next.</summary>
    bool Run(Block block, int count);
}
