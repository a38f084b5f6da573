using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Model;

/// <summary>An image the trace was taken with: name, SHA-256 and scope.</summary>
public sealed record TraceImage(string Name, string Sha256, ImageScope Scope);
