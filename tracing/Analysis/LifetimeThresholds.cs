namespace Minix318Emu.Tracing.Analysis;

/// <summary>Lifetime classes: Immediate (freed within <see cref="ImmediateTicks"/>), Scoped (freed while the allocating caller's frame is still on the stack), Dynamic (freed later), Persistent (never freed).</summary>
public sealed record LifetimeThresholds(ulong ImmediateTicks, string Rule);
