namespace Minix318Emu.Emulator.Processor;

/// <summary>General-purpose register numbers as the x86 encodes them; <see cref="None"/> indexes a slot that is always zero.</summary>
public static class Reg
{
    /// <summary>EAX (0): the accumulator.</summary>
    public const int Eax = 0;

    /// <summary>ECX (1): the count register (REP, LOOP, shifts by CL).</summary>
    public const int Ecx = 1;

    /// <summary>EDX (2): the data register (high half of MUL/DIV, the I/O port of IN/OUT).</summary>
    public const int Edx = 2;

    /// <summary>EBX (3): the base register.</summary>
    public const int Ebx = 3;

    /// <summary>ESP (4): the stack pointer.</summary>
    public const int Esp = 4;

    /// <summary>EBP (5): the frame pointer (addresses default to SS).</summary>
    public const int Ebp = 5;

    /// <summary>ESI (6): the string source index.</summary>
    public const int Esi = 6;

    /// <summary>EDI (7): the string destination index.</summary>
    public const int Edi = 7;

    /// <summary>The always-zero slot used for an absent base or index register.</summary>
    public const int None = 8;
}
