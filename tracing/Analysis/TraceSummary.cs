namespace Minix318Emu.Tracing.Analysis;

public sealed record TraceSummary(string Profile, ulong TicksPerSecond, long Calls, long UnreturnedCalls, List<string> Images, List<string> Processes, double GuestSeconds);
