namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// The redundancy factor (see <see cref="Definition"/>): the share of outermost allocating
/// calls — allocations the programs asked for, not an allocator's calls to its own backend —
/// made in processes that use more than one allocator family for them; by calls and by bytes.
/// </summary>
public sealed record RedundancyStats(string Definition, double ByCalls, double ByBytes, List<ProcessFamilies> Processes);
