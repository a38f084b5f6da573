namespace Minix318Emu.Emulator.Processor;

/// <summary>The architectural exception vectors (Intel SDM Vol. 3A, Table 6-1).</summary>
public static class ExceptionVectors
{
    public const int DivideError = 0;
    public const int Debug = 1;
    public const int Nmi = 2;
    public const int Breakpoint = 3;
    public const int Overflow = 4;
    public const int BoundRange = 5;
    public const int InvalidOpcode = 6;
    public const int DeviceNotAvailable = 7;
    public const int DoubleFault = 8;
    public const int InvalidTss = 10;
    public const int SegmentNotPresent = 11;
    public const int StackFault = 12;
    public const int GeneralProtection = 13;
    public const int PageFault = 14;
    public const int FpuError = 16;
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
