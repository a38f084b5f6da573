namespace Minix318Emu.Emulator.Processor;

/// <summary>Control-register bits (Intel SDM Vol. 3A, 2.5).</summary>
public static class ControlRegs
{
    /// <summary>CR0.PE (bit 0): protection enable; clear is real mode.</summary>
    public const uint Cr0PE = 1u << 0;

    /// <summary>CR0.MP (bit 1): monitor coprocessor; with TS, WAIT/FWAIT raise #NM.</summary>
    public const uint Cr0MP = 1u << 1;

    /// <summary>CR0.EM (bit 2): emulation; x87 instructions raise #NM.</summary>
    public const uint Cr0EM = 1u << 2;

    /// <summary>CR0.TS (bit 3): task switched; the next x87 instruction raises #NM so the OS can switch FPU state lazily.</summary>
    public const uint Cr0TS = 1u << 3;

    /// <summary>CR0.ET (bit 4): extension type; hardwired to 1 here, as on a Pentium and later (a 387-compatible FPU).</summary>
    public const uint Cr0ET = 1u << 4;

    /// <summary>CR0.NE (bit 5): numeric error; x87 errors raise #MF instead of the external FERR#/IRQ 13 route.</summary>
    public const uint Cr0NE = 1u << 5;

    /// <summary>CR0.WP (bit 16): write protect; supervisor writes honour read-only pages.</summary>
    public const uint Cr0WP = 1u << 16;

    /// <summary>CR0.AM (bit 18): alignment mask; with EFLAGS.AC at CPL 3, misaligned accesses raise #AC.</summary>
    public const uint Cr0AM = 1u << 18;

    /// <summary>CR0.NW (bit 29): not write-through (cache control; no effect here).</summary>
    public const uint Cr0NW = 1u << 29;

    /// <summary>CR0.CD (bit 30): cache disable (cache control; no effect here).</summary>
    public const uint Cr0CD = 1u << 30;

    /// <summary>CR0.PG (bit 31): paging enable.</summary>
    public const uint Cr0PG = 1u << 31;

    /// <summary>CR4.VME (bit 0): virtual-8086 mode extensions (VIF/VIP, the interrupt redirection bitmap); CPUID here has no VME, so it is reserved.</summary>
    public const uint Cr4VME = 1u << 0;

    /// <summary>CR4.PVI (bit 1): protected-mode virtual interrupts (CLI/STI act on VIF at CPL 3); reserved here, as VME.</summary>
    public const uint Cr4PVI = 1u << 1;

    /// <summary>CR4.TSD (bit 2): time stamp disable; RDTSC above CPL 0 raises #GP.</summary>
    public const uint Cr4TSD = 1u << 2;

    /// <summary>CR4.DE (bit 3): debugging extensions; DR4/DR5 references raise #UD, I/O breakpoints are allowed.</summary>
    public const uint Cr4DE = 1u << 3;

    /// <summary>CR4.PSE (bit 4): page size extensions; a PDE with PS set maps a 4 MiB page.</summary>
    public const uint Cr4PSE = 1u << 4;

    /// <summary>CR4.PAE (bit 5): physical address extension; CPUID here has no PAE, so it is reserved.</summary>
    public const uint Cr4PAE = 1u << 5;

    /// <summary>CR4.MCE (bit 6): machine-check enable.</summary>
    public const uint Cr4MCE = 1u << 6;

    /// <summary>CR4.PGE (bit 7): page global enable; global TLB entries survive a CR3 load.</summary>
    public const uint Cr4PGE = 1u << 7;

    /// <summary>CR4.PCE (bit 8): performance-monitoring counter enable; reserved here (no counters, RDPMC is #UD).</summary>
    public const uint Cr4PCE = 1u << 8;

    /// <summary>OSFXSR: the OS uses FXSAVE/FXRSTOR (CPUID reports FXSR); with no SSE it changes nothing else.</summary>
    public const uint Cr4OSFXSR = 1u << 9;

    /// <summary>OSXMMEXCPT: SIMD floating-point exceptions (defined with SSE, which this CPU does not have).</summary>
    public const uint Cr4OSXMMEXCPT = 1u << 10;

    // Which of these a CPU accepts follows from its CPUID features: Cpu.Cr4Supported.
}
