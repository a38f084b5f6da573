namespace Minix318Emu.Emulator.Processor;

/// <summary>Boolean facts of an instruction in <see cref="InstructionTable"/>.</summary>
[Flags]
internal enum InstructionFlags : byte
{
    /// <summary>A block ends after it (control transfer, or a change to how later code decodes, runs or is interrupted).</summary>
    EndsBlock = 1,

    /// <summary>A string instruction: with a REP/REPNE prefix it may stop part-way and run again, so it ends a block then.</summary>
    EndsBlockWhenRepeated = 2,

    /// <summary>Executed by the x87 unit (its CPUID feature is FPU, 287, 387 or FXSR): FOP is recorded for it.</summary>
    X87 = 4,
}
