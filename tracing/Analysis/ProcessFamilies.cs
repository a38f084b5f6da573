namespace Minix318Emu.Tracing.Analysis;

/// <summary>The allocator families one process name allocates through (outermost calls), with calls and bytes per family.</summary>
public sealed record ProcessFamilies(string Process, List<FamilyUse> Families);
