using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Model;

/// <summary>The footer: what a complete trace holds and the checksum over everything before it.</summary>
public sealed record TraceFooter(long Calls, int Functions, int Processes, byte[] Sha256, long Messages = 0);
