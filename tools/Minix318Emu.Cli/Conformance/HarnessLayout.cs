namespace Minix318Emu.Cli.Conformance;

/// <summary>
/// The fixed layout of the harness guest (images/guests/conform/conform.h): where a case's code,
/// data and stack live, and the GDT selectors its system cases name. Change both together.
/// </summary>
public static class HarnessLayout
{
    public const uint Magic = 0x31464E43; // "CNF1"
    public const int CaseSize = 512;
    public const int HeaderSize = 16;
    public const uint CodeBase = 0x05C0_0000;
    public const uint DataBase = 0x05C0_1000;
    public const uint ReadOnlyPage = 0x05C0_2000;
    public const uint NotPresentPage = 0x05C0_3000;
    public const uint StackTop = 0x05C0_5000;
    public const uint DoneSlot = 0x05C0_0FFC;

    /// <summary>RAM the harness runs with; the case module must end below <see cref="CodeBase"/>.</summary>
    public const int RamMiB = 128;

    /// <summary>The most cases one module holds (the module is loaded above the kernel, below the case pages).</summary>
    public const int MaxCases = (int)((CodeBase - 0x0020_0000) / CaseSize);
    public const int DataBytes = 64;
    public const int FpuImageBytes = 108;
    public const int MaxCode = CaseSize - 224;

    /// <summary>Offset in the code page of a landing pad (jmp [DoneSlot]) that far transfers aim at.</summary>
    public const uint LandingPad = 0x100;

    // GDT selectors (conform.c's gdt_template).
    public const ushort Code0 = 0x08, Data0 = 0x10, DataReadOnly = 0x18, DataExpandDown = 0x20, DataNotPresent = 0x28;
    public const ushort DataDpl3 = 0x30, CodeExecuteOnly = 0x38, CodeReadable = 0x40, DataSmall = 0x48, CallGate = 0x50;
    public const ushort Data16 = 0x58, CodeConforming = 0x60, FirstBeyondLimit = 0x68;

    // ---- 16-bit cases (conform.h): real mode, a 16-bit code segment at CPL 3, virtual-8086 mode ----

    /// <summary>The case's code: real-mode segment 1000, and the base of <see cref="Cs16"/> and <see cref="Cs32"/>.</summary>
    public const uint Code16 = 0x0001_0000;

    /// <summary>The case's data: segment 2000 or <see cref="Ds16"/>; the first <see cref="DataBytes"/> are loaded and compared.</summary>
    public const uint Data16Base = 0x0002_0000;

    /// <summary>The case's stack: segment 3000 or <see cref="Ss16"/>/<see cref="Ss32"/> (the pages at offsets 0 and F000 are cleared).</summary>
    public const uint Stack16 = 0x0003_0000;

    public const ushort CodeSegment16 = (ushort)(Code16 >> 4), DataSegment16 = (ushort)(Data16Base >> 4), StackSegment16 = (ushort)(Stack16 >> 4);

    /// <summary>Offset of the landing pad far transfers aim at, and of the INT3 every 16-bit case ends on.</summary>
    public const ushort Landing16 = 0x100, DoneOffset = 0x0FF0;

    // The 16-bit protected-mode descriptors (DPL 3 unless noted; cases use them with RPL 3).
    public const ushort Cs16 = 0x70, Cs32 = 0x78, Ds16 = 0x80, Ss16 = 0x88, Ss32 = 0x90, Cs16Conforming = 0x98;
    public const ushort Gate16 = 0xA0, Gate32 = 0xA8, Ds16ReadOnly = 0xB0, Ds16Dpl0 = 0xB8, Ds16NotPresent = 0xC0, FirstBeyond16 = 0xE0;
}
