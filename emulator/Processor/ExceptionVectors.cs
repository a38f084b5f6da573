namespace Minix318Emu.Emulator.Processor;

/// <summary>The architectural exception vectors (Intel SDM Vol. 3A, Table 6-1).</summary>
public static class ExceptionVectors
{
    /// <summary>#DE (0): DIV or IDIV by zero, or a quotient too large.</summary>
    public const int DivideError = 0;

    /// <summary>#DB (1): single-step, debug-register breakpoints and watchpoints, task-switch trap.</summary>
    public const int Debug = 1;

    /// <summary>NMI (2): the non-maskable interrupt.</summary>
    public const int Nmi = 2;

    /// <summary>#BP (3): INT3.</summary>
    public const int Breakpoint = 3;

    /// <summary>#OF (4): INTO with OF set.</summary>
    public const int Overflow = 4;

    /// <summary>#BR (5): BOUND found the index out of range.</summary>
    public const int BoundRange = 5;

    /// <summary>#UD (6): an undefined or unsupported opcode, or LOCK where it is not allowed.</summary>
    public const int InvalidOpcode = 6;

    /// <summary>#NM (7): an x87 instruction with CR0.EM or CR0.TS set (WAIT with MP and TS).</summary>
    public const int DeviceNotAvailable = 7;

    /// <summary>#DF (8): a fault while delivering a contributory fault or page fault; pushes error code 0.</summary>
    public const int DoubleFault = 8;

    /// <summary>#TS (10): a task switch found the TSS or a selector in it invalid.</summary>
    public const int InvalidTss = 10;

    /// <summary>#NP (11): a segment or gate descriptor with P clear.</summary>
    public const int SegmentNotPresent = 11;

    /// <summary>#SS (12): a stack-segment limit violation, or loading a not-present SS.</summary>
    public const int StackFault = 12;

    /// <summary>#GP (13): any protection violation without a more specific vector.</summary>
    public const int GeneralProtection = 13;

    /// <summary>#PF (14): a page not present or a page-level protection violation; CR2 holds the linear address.</summary>
    public const int PageFault = 14;

    /// <summary>#MF (16): a pending unmasked x87 exception, reported at the next waiting x87 instruction with CR0.NE set.</summary>
    public const int FpuError = 16;

    /// <summary>#AC (17): a misaligned access at CPL 3 with CR0.AM and EFLAGS.AC set.</summary>
    public const int AlignmentCheck = 17;

    /// <summary>The mnemonic of a vector, as the SDM spells it.</summary>
    public static string Name(int vector) => vector switch
    {
        0 => "#DE",
        1 => "#DB",
        2 => "NMI",
        3 => "#BP",
        4 => "#OF",
        5 => "#BR",
        6 => "#UD",
        7 => "#NM",
        8 => "#DF",
        10 => "#TS",
        11 => "#NP",
        12 => "#SS",
        13 => "#GP",
        14 => "#PF",
        16 => "#MF",
        17 => "#AC",
        18 => "#MC",
        _ => $"vector {vector}",
    };

    /// <summary>Whether the exception pushes an error code (SDM Vol. 3A, 6.13).</summary>
    public static bool HasErrorCode(int vector) => vector is 8 or 10 or 11 or 12 or 13 or 14 or 17;

    /// <summary>Contributory exceptions for the double-fault rule (SDM Vol. 3A, Table 6-4).</summary>
    public static bool IsContributory(int vector) => vector is 0 or 10 or 11 or 12 or 13;
}
