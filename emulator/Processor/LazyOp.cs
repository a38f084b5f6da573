namespace Minix318Emu.Emulator.Processor;

/// <summary>The kind of the last flag-setting operation, whose operands <see cref="CpuState"/> keeps so the status flags are computed only when read.</summary>
internal enum LazyOp : byte
{
    /// <summary>The status flags are stored explicitly in <see cref="CpuState.FlagBits"/>.</summary>
    Explicit,
    Add,
    Adc,
    Sub,
    Sbb,
    Logic,
    Inc,
    Dec,
}
