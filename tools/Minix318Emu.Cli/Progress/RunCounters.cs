namespace Minix318Emu.Cli.Progress;

/// <summary>
/// The running machine's counters as the status line reads them: guest time, instructions, and
/// when tracing the calls and the trace bytes written (null when not tracing). Only read, never
/// written, so showing them cannot change what the guest does. The compiled tier's statistics
/// are there when it runs (for the summary table).
/// </summary>
public readonly record struct RunCounters(ulong GuestNanoseconds, ulong Instructions, long? Calls = null, long? TraceBytes = null, Emulator.Processor.Compiler.CompilerStatistics? Compiler = null);
