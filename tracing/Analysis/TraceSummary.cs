namespace Minix318Emu.Tracing.Analysis;

/// <summary>What a report was made from.</summary>
/// <param name="Profile">The tracing profile's name (from the trace header).</param>
/// <param name="TicksPerSecond">Guest ticks (instructions) per second of guest time, from the trace header.</param>
/// <param name="Calls">Traced calls in the trace.</param>
/// <param name="UnreturnedCalls">Calls still in progress when the run ended.</param>
/// <param name="Images">Each traced image as "name (scope, sha256 HEX)".</param>
/// <param name="Processes">Each process's label (name, endpoint or CR3), by process id.</param>
/// <param name="GuestSeconds">Guest time up to the last call's return, in seconds (0 with no clock rate).</param>
public sealed record TraceSummary(string Profile, ulong TicksPerSecond, long Calls, long UnreturnedCalls, List<string> Images, List<string> Processes, double GuestSeconds);
