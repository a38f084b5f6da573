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
}
