namespace Minix318Emu.Emulator.Processor;

/// <summary>EFLAGS bits (Intel SDM Vol. 1, 3.4.3).</summary>
public static class EFlags
{
    /// <summary>Carry flag (bit 0).</summary>
    public const uint CF = 1u << 0;

    /// <summary>Bit 1: reserved, always reads as 1.</summary>
    public const uint Reserved1 = 1u << 1;

    /// <summary>Parity flag (bit 2): set when the low byte of the result has an even number of ones.</summary>
    public const uint PF = 1u << 2;

    /// <summary>Auxiliary carry flag (bit 4): carry or borrow out of bit 3, for BCD arithmetic.</summary>
    public const uint AF = 1u << 4;

    /// <summary>Zero flag (bit 6).</summary>
    public const uint ZF = 1u << 6;

    /// <summary>Sign flag (bit 7): the result's most significant bit.</summary>
    public const uint SF = 1u << 7;

    /// <summary>Trap flag (bit 8): single-step, a #DB after each instruction.</summary>
    public const uint TF = 1u << 8;

    /// <summary>Interrupt enable flag (bit 9): maskable interrupts are accepted.</summary>
    public const uint IF = 1u << 9;

    /// <summary>Direction flag (bit 10): string instructions step downwards.</summary>
    public const uint DF = 1u << 10;

    /// <summary>Overflow flag (bit 11): signed overflow.</summary>
    public const uint OF = 1u << 11;

    /// <summary>IOPL, I/O privilege level (bits 13-12): the largest CPL at which CLI/STI are allowed and IN/OUT run without consulting the TSS I/O bitmap.</summary>
    public const uint IoplMask = 3u << 12;

    /// <summary>Nested task (bit 14): IRET returns to the task in the TSS back link.</summary>
    public const uint NT = 1u << 14;

    /// <summary>Resume flag (bit 16): suppresses instruction breakpoints for the next instruction.</summary>
    public const uint RF = 1u << 16;

    /// <summary>Virtual-8086 mode (bit 17).</summary>
    public const uint VM = 1u << 17;

    /// <summary>Alignment check (bit 18): with CR0.AM at CPL 3, misaligned accesses raise #AC.</summary>
    public const uint AC = 1u << 18;

    /// <summary>Virtual interrupt flag (bit 19), for VME/PVI (not offered by this CPU).</summary>
    public const uint VIF = 1u << 19;

    /// <summary>Virtual interrupt pending (bit 20), for VME/PVI (not offered by this CPU).</summary>
    public const uint VIP = 1u << 20;

    /// <summary>ID flag (bit 21): software that can toggle it knows CPUID exists.</summary>
    public const uint ID = 1u << 21;

    /// <summary>The six status flags that arithmetic computes lazily.</summary>
    public const uint Arith = CF | PF | AF | ZF | SF | OF;

    /// <summary>Every bit a Pentium-class CPU lets software change (AC and ID included: it is a 486+ with CPUID).</summary>
    public const uint Writable = Arith | TF | IF | DF | IoplMask | NT | RF | VM | AC | ID;
}
