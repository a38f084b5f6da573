namespace Minix318Emu.Tracing.Minix;

/// <summary>One entry of the kernel's boot image table: the process number and the name the kernel gives it.</summary>
public readonly record struct BootProcess(int ProcNr, string Name);
