namespace Minix318Emu.Emulator.Fpu;

/// <summary>
/// The x87 register file and environment: eight physical registers addressed relative to TOP,
/// the control, status and tag words, and the last-instruction and last-operand pointers.
/// The tag word is kept as an empty mask; its valid/zero/special encoding is derived on save.
/// </summary>
public sealed class X87State
{
    // Status-word bits (SDM Vol. 1, 8.1.3).

    /// <summary>ES, error summary (bit 7): some unmasked exception flag is set.</summary>
    public const ushort StatusES = 0x0080;

    /// <summary>SF, stack fault (bit 6): the invalid operation was a register-stack overflow or underflow (C1 tells which).</summary>
    public const ushort StatusSF = 0x0040;

    /// <summary>B, busy (bit 15): kept equal to ES for 8087 compatibility.</summary>
    public const ushort StatusBusy = 0x8000;

    /// <summary>Condition code C0 (bit 8).</summary>
    public const ushort StatusC0 = 0x0100;

    /// <summary>Condition code C1 (bit 9): round-up, stack overflow (1) or underflow (0), FXAM's sign.</summary>
    public const ushort StatusC1 = 0x0200;

    /// <summary>Condition code C2 (bit 10): unordered, incomplete reduction (FPREM, FPTAN) and the like.</summary>
    public const ushort StatusC2 = 0x0400;

    /// <summary>Condition code C3 (bit 14).</summary>
    public const ushort StatusC3 = 0x4000;

    /// <summary>All four condition-code bits, C0-C3.</summary>
    public const ushort ConditionMask = StatusC0 | StatusC1 | StatusC2 | StatusC3;

    /// <summary>Physical registers R0-R7.</summary>
    public Float80[] Regs { get; } = new Float80[8];

    /// <summary>The control word: exception masks (bits 0-5), PC (bits 9-8), RC (bits 11-10), X (bit 12); FNINIT sets 037F.</summary>
    public ushort Control { get; set; } = 0x037F;

    /// <summary>The status word with TOP in bits 13-11.</summary>
    public ushort Status { get; set; }

    /// <summary>Bit i set: physical register i is empty (tag 11).</summary>
    public byte EmptyMask { get; set; } = 0xFF;

    /// <summary>FPU instruction pointer (FIP): the offset of the last non-control x87 instruction.</summary>
    public uint InstructionPointer { get; set; }

    /// <summary>FPU instruction selector (FCS): the CS of the last non-control x87 instruction.</summary>
    public ushort InstructionSelector { get; set; }

    /// <summary>FPU data pointer (FDP): the offset of that instruction's memory operand, if it had one.</summary>
    public uint OperandPointer { get; set; }

    /// <summary>FPU data selector (FDS): the segment selector of that memory operand.</summary>
    public ushort OperandSelector { get; set; }

    /// <summary>The last non-control instruction's opcode: low three bits of its first byte, then its ModR/M byte (11 bits).</summary>
    public ushort Opcode { get; set; }

    /// <summary>TOP (status bits 13-11, 0-7): the physical register that is ST(0).</summary>
    public int Top
    {
        get => (Status >> 11) & 7;
        set => Status = (ushort)((Status & ~0x3800) | ((value & 7) << 11));
    }

    /// <summary>The physical register behind ST(i).</summary>
    public int Physical(int i) => (Top + i) & 7;

    /// <summary>ST(<paramref name="i"/>), i 0-7, by reference; does not check its tag.</summary>
    public ref Float80 St(int i) => ref Regs[Physical(i)];

    /// <summary>Whether ST(<paramref name="i"/>) is tagged empty (tag 11).</summary>
    public bool IsEmpty(int i) => (EmptyMask & (1 << Physical(i))) != 0;

    /// <summary>Tags ST(<paramref name="i"/>) empty or in use (the in-use tag is derived from the value on save).</summary>
    public void SetEmpty(int i, bool empty)
    {
        int bit = 1 << Physical(i);
        EmptyMask = (byte)(empty ? EmptyMask | bit : EmptyMask & ~bit);
    }

    /// <summary>FNINIT/FINIT: control 037F, status 0, all registers empty, pointers cleared.</summary>
    public void Init()
    {
        Control = 0x037F;
        Status = 0;
        EmptyMask = 0xFF;
        InstructionPointer = OperandPointer = 0;
        InstructionSelector = OperandSelector = Opcode = 0;
    }

    /// <summary>The state after RESET (SDM Vol. 3A, table 9-1): control 0040, tags all valid, registers +0.</summary>
    public void Reset()
    {
        Init();
        Control = 0x0040;
        EmptyMask = 0;
        Array.Clear(Regs);
    }

    /// <summary>The tag of one physical register: 00 valid, 01 zero, 10 special (NaN, infinity, denormal, unsupported), 11 empty.</summary>
    public int Tag(int physical)
    {
        if ((EmptyMask & (1 << physical)) != 0)
        {
            return 3;
        }
        Float80 v = Regs[physical];
        if (v.IsZero)
        {
            return 1;
        }
        return v.IsNormal ? 0 : 2;
    }

    /// <summary>The full 16-bit tag word, as FNSTENV and FNSAVE store it.</summary>
    public ushort TagWord
    {
        get
        {
            int t = 0;
            for (int i = 0; i < 8; i++)
            {
                t |= Tag(i) << (2 * i);
            }
            return (ushort)t;
        }
        set
        {
            int empty = 0;
            for (int i = 0; i < 8; i++)
            {
                if (((value >> (2 * i)) & 3) == 3)
                {
                    empty |= 1 << i;
                }
            }
            EmptyMask = (byte)empty;
        }
    }

    /// <summary>The status word with ES and B recomputed from the unmasked exceptions.</summary>
    public void UpdateSummary()
    {
        if ((Status & ~Control & 0x3F) != 0)
        {
            Status |= StatusES | StatusBusy;
        }
        else
        {
            Status &= unchecked((ushort)~(StatusES | StatusBusy));
        }
    }

    /// <summary>An unmasked exception is pending (ES): the next waiting instruction reports it.</summary>
    public bool ErrorPending => (Status & StatusES) != 0;
}
