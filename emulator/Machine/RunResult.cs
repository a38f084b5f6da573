namespace Minix318Emu.Emulator.Machine;

/// <summary>How a run ended.</summary>
public sealed record RunResult(StopReason Reason, int ExitCode, string Message, ulong Instructions, TimeSpan Elapsed)
{
    /// <summary>Guest instructions per host second, in millions.</summary>
    public double Mips => Elapsed.TotalSeconds > 0 ? Instructions / Elapsed.TotalSeconds / 1e6 : 0;
}
