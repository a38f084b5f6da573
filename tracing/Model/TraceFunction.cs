using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Model;

/// <summary>A hooked function as the trace names it.</summary>
public sealed record TraceFunction(int Id, string Name, AllocatorRole Role, string Family, string Image, uint Address);
