namespace Minix318Emu.Emulator.Processor;

/// <summary>The interpreter as a <see cref="IBlockExecutor"/>: each decoded instruction through the CPU's dispatch (Cpu.Execute).</summary>
internal sealed class Interpreter(Cpu cpu) : IBlockExecutor
{
    /// <inheritdoc/>
    public bool Run(Block block, int count) => cpu.RunOps(block, count);
}
