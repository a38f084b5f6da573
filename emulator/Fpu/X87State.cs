namespace Minix318Emu.Emulator.Fpu;

/// <summary>
/// The x87 register file and environment: eight physical registers addressed relative to TOP,
/// the control, status and tag words, and the last-instruction and last-operand pointers.
/// The tag word is kept as an empty mask; its valid/zero/special encoding is derived on save.
/// </summary>
public sealed class X87State
{
    public const ushort StatusES = 0x0080, StatusSF = 0x0040, StatusBusy = 0x8000;
    public const ushort StatusC0 = 0x0100, StatusC1 = 0x0200, StatusC2 = 0x0400, StatusC3 = 0x4000;
    public const ushort ConditionMask = StatusC0 | StatusC1 | StatusC2 | StatusC3;

    /// <summary>Physical registers R0-R7.</summary>
    public Float80[] Regs { get; } = new Float80[8];

    public ushort Control { get; set; } = 0x037F;

    /// <summary>The status word with TOP in bits 13-11.</summary>
    public ushort Status { get; set; }

    /// <summary>Bit i set: physical register i is empty (tag 11).</summary>
    public byte EmptyMask { get; set; } = 0xFF;

    public uint InstructionPointer { get; set; }
    public ushort InstructionSelector { get; set; }
    public uint OperandPointer { get; set; }
    public ushort OperandSelector { get; set; }

    /// <summary>The last non-control instruction's opcode: low three bits of its first byte, then its ModR/M byte (11 bits).</summary>
    public ushort Opcode { get; set; }

    public int Top
    {
        get => (Status >> 11) & 7;
        set => Status = (ushort)((Status & ~0x3800) | ((value & 7) << 11));
    }

    /// <summary>The physical register behind ST(i).</summary>
    public int Physical(int i) => (Top + i) & 7;

    public ref Float80 St(int i) => ref Regs[Physical(i)];

    public bool IsEmpty(int i) => (EmptyMask & (1 << Physical(i))) != 0;

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
