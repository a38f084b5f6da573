namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// A block compiled to host code: runs all of the block's instructions on <paramref name="cpu"/>
/// with the interpreter's effects (<see cref="IBlockExecutor"/>'s contract); true when it ran to
/// the block's end, false when an instruction asked the block to end early. Called with null it
/// runs nothing and returns false (the compile thread uses this to have the code compiled to host code).
/// </summary>
internal delegate bool CompiledCode(Cpu? cpu);
