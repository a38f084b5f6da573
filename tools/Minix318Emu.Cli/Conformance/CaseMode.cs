namespace Minix318Emu.Cli.Conformance;

/// <summary>Where a case runs (conform.h MODE_*, flags bits 1-2).</summary>
public enum CaseMode
{
    /// <summary>32-bit protected mode at CPL 0 with paging.</summary>
    Protected32 = 0,

    /// <summary>Real mode, paging off.</summary>
    Real = 1,

    /// <summary>A 16-bit code segment at CPL 3 (the prologue loads ESP).</summary>
    Protected16 = 2,

    /// <summary>Virtual-8086 mode at CPL 3.</summary>
    Vm86 = 3,
}
