using System.Buffers.Binary;

namespace Minix318Emu.Cli.Conformance;

/// <summary>Where QEMU is known to depart from the SDM for a case's instructions (README "Conformance").</summary>
[Flags]
public enum KnownDeviation
{
    None = 0,

    /// <summary>QEMU's TCG skips segment limit and access-rights checks on data accesses: the SDM's #GP/#SS does not happen.</summary>
    SegmentChecks = 1,

    /// <summary>QEMU reports a read-modify-write instruction's page fault as a read; Intel processors (and Bochs) report a write.</summary>
    ReadModifyWriteFaultAsRead = 2,

    /// <summary>QEMU's FCOMI/FUCOMI family keeps OF, SF and AF; the SDM clears them.</summary>
    FcomiKeepsOfSfAf = 4,

    /// <summary>FSCALE with two NaN operands: QEMU returns ST(1)'s; the SDM's NaN rule (table 4-7) takes the larger significand.</summary>
    FscaleNaNChoice = 8,

    /// <summary>QEMU's FPREM1 reports other quotient bits in C0 and C3 than those of the SDM's round-to-nearest quotient.</summary>
    Fprem1QuotientBits = 16,

    /// <summary>A far JMP or CALL to an offset beyond the code segment's limit: the SDM raises #GP(0), QEMU #GP(selector).</summary>
    FarLimitErrorCode = 32,
}
