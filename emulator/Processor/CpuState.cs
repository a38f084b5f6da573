using Minix318Emu.Emulator.Fpu;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Everything architectural about the CPU in one type: general registers, EIP, the lazy flags
/// as recorded, segment and descriptor-table caches, control, debug and model-specific
/// registers, the x87 unit, the between-instruction state (halted, interrupt shadows, NMI) and
/// the TLB generation (the models: ARMeilleure's NativeContext, Spice86's State). What is
/// derived from it (the TLB's entries, decoded blocks and their links, the armed
/// debug-register breakpoints, the mode bits) is <see cref="Cpu"/>'s and is rebuilt from it
/// after a load. <see cref="Cpu"/> derives from it rather than holding it, so the interpreter
/// reads a register as a field of <c>this</c>, as before: held as a separate struct
/// (<c>this.S.Eip</c>) the extra field step in every accessor's IL pushed small hot methods
/// (the flag getters, PeekStack) over the JIT's inlining budget and cost 8.6 % more host
/// instructions on bench.elf (cachegrind, full-opt JIT). A compiled tier and a lock-step
/// checker work on a <see cref="CpuState"/> reference: the CPU itself, or a copy made with
/// <see cref="CopyTo"/>.
/// </summary>
public partial class CpuState
{

    /// <summary>General registers EAX..EDI; slot 8 is always zero (an absent base or index register).</summary>
    public readonly uint[] R = new uint[9];

    /// <summary>Segment registers ES, CS, SS, DS, FS, GS with their hidden caches.</summary>
    public readonly SegmentCache[] Seg = new SegmentCache[6];

    /// <summary>The instruction pointer (offset in CS).</summary>
    public uint Eip;

    /// <summary>Control registers.</summary>
    public uint Cr0, Cr2, Cr3, Cr4;

    /// <summary>Debug registers DR0-DR7.</summary>
    public readonly uint[] Dr = new uint[8];

    /// <summary>Descriptor-table registers.</summary>
    public uint GdtBase, GdtLimit, IdtBase, IdtLimit;

    /// <summary>LDTR and TR with their caches.</summary>
    public SegmentCache Ldtr, Tr;

    /// <summary>Current privilege level.</summary>
    public int Cpl;

    /// <summary>Instructions retired since reset; the virtual clock is derived from it.</summary>
    public ulong InstructionCount;

    /// <summary>SYSENTER MSRs.</summary>
    public uint SysenterCs, SysenterEsp, SysenterEip;

    /// <summary>The time-stamp counter offset: TSC = guest ticks + offset.</summary>
    public ulong TscOffset;

    /// <summary>IA32_APIC_BASE: the local APIC's base address 0xFEE00000, BSP flag (bit 8) and global enable (bit 11).</summary>
    public ulong ApicBase { get; internal set; } = 0xFEE0_0000 | 0x900;

    /// <summary>IA32_BIOS_SIGN_ID: the microcode revision, loaded into the high half by CPUID leaf 1.</summary>
    internal ulong BiosSignId;

    /// <summary>The x87 unit's registers and environment.</summary>
    public X87State Fpu { get; } = new();

    // ---- EFLAGS: the last flag-setting operation and its operands, folded only when read ----

    /// <summary>The kind of the last flag-setting operation.</summary>
    internal LazyOp Lop;

    /// <summary>Its result and operands, masked to the operand size.</summary>
    internal uint LazyResult, LazyDst, LazySrc;

    /// <summary>The sign bit of the operand size.</summary>
    internal uint LazySign;

    /// <summary>The carry-in (ADC/SBB) or the preserved CF (INC/DEC).</summary>
    internal bool LazyCarry;

    /// <summary>The status flags, when <see cref="Lop"/> is <see cref="LazyOp.Explicit"/>.</summary>
    internal uint FlagBits;

    /// <summary>Every EFLAGS bit that is not a status flag (IF, DF, TF, IOPL, VM, ...).</summary>
    internal uint FlagsOther;

    // ---- between instructions ----

    /// <summary>Whether the CPU is halted (HLT) waiting for an interrupt.</summary>
    public bool Halted { get; internal set; }

    /// <summary>One instruction after STI, MOV SS or POP SS runs before interrupts are recognised.</summary>
    internal bool InterruptShadow;

    /// <summary>The shadow is MOV SS's or POP SS's, which also holds back debug traps.</summary>
    internal bool MovSsShadow;

    /// <summary>The NMI input saw an edge that has not been taken yet.</summary>
    internal bool NmiPending;

    /// <summary>An NMI handler runs: further NMIs wait for its IRET (SDM vol. 3A 6.7.1).</summary>
    internal bool NmiBlocked;

    /// <summary>A hooked linear address whose hook already ran for this arrival (so resuming there runs the instruction), or all ones.</summary>
    internal uint HookDoneAt = 0xFFFF_FFFF;

    /// <summary>Data breakpoints the current instruction hit (reported as #DB after it).</summary>
    internal uint DataBreakpointHits;

    /// <summary>The FERR# output is asserted.</summary>
    internal bool Ferr;

    /// <summary>The TLB's current generation (1-4095; tags of older generations never match): bumped by every flush instead of clearing the TLB.</summary>
    internal uint TlbGeneration = 1;
}
