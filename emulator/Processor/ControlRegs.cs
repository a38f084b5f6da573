namespace Minix318Emu.Emulator.Processor;

/// <summary>Control-register bits (Intel SDM Vol. 3A, 2.5).</summary>
public static class ControlRegs
{
    public const uint Cr0PE = 1u << 0, Cr0MP = 1u << 1, Cr0EM = 1u << 2, Cr0TS = 1u << 3, Cr0ET = 1u << 4, Cr0NE = 1u << 5;
    public const uint Cr0WP = 1u << 16, Cr0AM = 1u << 18, Cr0NW = 1u << 29, Cr0CD = 1u << 30, Cr0PG = 1u << 31;

    public const uint Cr4VME = 1u << 0, Cr4PVI = 1u << 1, Cr4TSD = 1u << 2, Cr4DE = 1u << 3, Cr4PSE = 1u << 4;
    public const uint Cr4PAE = 1u << 5, Cr4MCE = 1u << 6, Cr4PGE = 1u << 7, Cr4PCE = 1u << 8;

    /// <summary>OSFXSR: the OS uses FXSAVE/FXRSTOR (CPUID reports FXSR); with no SSE it changes nothing else.</summary>
    public const uint Cr4OSFXSR = 1u << 9;

    /// <summary>OSXMMEXCPT: SIMD floating-point exceptions (defined with SSE, which this CPU does not have).</summary>
    public const uint Cr4OSXMMEXCPT = 1u << 10;

    // Which of these a CPU accepts follows from its CPUID features: Cpu.Cr4Supported.
}
