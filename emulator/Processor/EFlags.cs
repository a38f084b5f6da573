namespace Minix318Emu.Emulator.Processor;

/// <summary>EFLAGS bits (Intel SDM Vol. 1, 3.4.3).</summary>
public static class EFlags
{
    public const uint CF = 1u << 0;
    public const uint Reserved1 = 1u << 1;
    public const uint PF = 1u << 2;
    public const uint AF = 1u << 4;
    public const uint ZF = 1u << 6;
    public const uint SF = 1u << 7;
    public const uint TF = 1u << 8;
    public const uint IF = 1u << 9;
    public const uint DF = 1u << 10;
    public const uint OF = 1u << 11;
    public const uint IoplMask = 3u << 12;
    public const uint NT = 1u << 14;
    public const uint RF = 1u << 16;
    public const uint VM = 1u << 17;
    public const uint AC = 1u << 18;
    public const uint VIF = 1u << 19;
    public const uint VIP = 1u << 20;
    public const uint ID = 1u << 21;

    /// <summary>The six status flags that arithmetic computes lazily.</summary>
    public const uint Arith = CF | PF | AF | ZF | SF | OF;

    /// <summary>Every bit a Pentium-class CPU lets software change (AC and ID included: it is a 486+ with CPUID).</summary>
    public const uint Writable = Arith | TF | IF | DF | IoplMask | NT | RF | VM | AC | ID;
}
