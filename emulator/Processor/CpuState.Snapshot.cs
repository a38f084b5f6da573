using Minix318Emu.Emulator.Fpu;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Emulator.Processor;

/// <summary>The architectural state's part of a machine snapshot: one field list for saving and loading (see docs/state-format.md, section cpu).</summary>
public partial class CpuState
{
    /// <summary>
    /// Copies every architectural field into <paramref name="target"/> (a lock-step checker's
    /// second state, a compiled tier's test). It goes through <see cref="SyncArchitecturalState"/>,
    /// so the copy and the state file cannot disagree on what the state is. Not for the hot path.
    /// </summary>
    public void CopyTo(CpuState target)
    {
        using var buffer = new MemoryStream();
        SyncArchitecturalState(StateSync.ForSaving(buffer, "cpu"));
        buffer.Position = 0;
        target.SyncArchitecturalState(StateSync.ForLoading(buffer, "cpu"));
    }

    /// <summary>Saves or loads every field, in the state file's order.</summary>
    internal void SyncArchitecturalState(StateSync s)
    {
        s.U32s(R.AsSpan(0, 8));
        for (int i = 0; i < Seg.Length; i++)
        {
            Seg[i] = SyncSegment(s, Seg[i]);
        }
        Ldtr = SyncSegment(s, Ldtr);
        Tr = SyncSegment(s, Tr);
        Eip = s.U32(Eip);
        Cr0 = s.U32(Cr0);
        Cr2 = s.U32(Cr2);
        Cr3 = s.U32(Cr3);
        Cr4 = s.U32(Cr4);
        s.U32s(Dr);
        GdtBase = s.U32(GdtBase);
        GdtLimit = s.U32(GdtLimit);
        IdtBase = s.U32(IdtBase);
        IdtLimit = s.U32(IdtLimit);
        Cpl = s.I32(Cpl);
        InstructionCount = s.U64(InstructionCount);
        SysenterCs = s.U32(SysenterCs);
        SysenterEsp = s.U32(SysenterEsp);
        SysenterEip = s.U32(SysenterEip);
        TscOffset = s.U64(TscOffset);
        ApicBase = s.U64(ApicBase);
        BiosSignId = s.U64(BiosSignId);

        // Lazy flags exactly as recorded: the operation and its operands, not the folded EFLAGS,
        // so a flag computed after the resume is computed from the same inputs.
        Lop = s.Enum(Lop);
        LazyResult = s.U32(LazyResult);
        LazyDst = s.U32(LazyDst);
        LazySrc = s.U32(LazySrc);
        LazySign = s.U32(LazySign);
        LazyCarry = s.Bool(LazyCarry);
        FlagBits = s.U32(FlagBits);
        FlagsOther = s.U32(FlagsOther);

        Halted = s.Bool(Halted);
        InterruptShadow = s.Bool(InterruptShadow);
        MovSsShadow = s.Bool(MovSsShadow);
        NmiPending = s.Bool(NmiPending);
        NmiBlocked = s.Bool(NmiBlocked);
        HookDoneAt = s.U32(HookDoneAt);
        DataBreakpointHits = s.U32(DataBreakpointHits);
        Ferr = s.Bool(Ferr);
        SyncFpu(s, Fpu);
        s.Check(0xC0DE_CAFE);
    }

    private static SegmentCache SyncSegment(StateSync s, SegmentCache c)
    {
        c.Selector = s.U16(c.Selector);
        c.Base = s.U32(c.Base);
        c.Limit = s.U32(c.Limit);
        c.Attr = s.U16(c.Attr);
        c.Low = s.U32(c.Low);
        c.Span = s.U32(c.Span);
        c.Readable = s.Bool(c.Readable);
        c.Writable = s.Bool(c.Writable);
        return c;
    }

    private static void SyncFpu(StateSync s, X87State f)
    {
        for (int i = 0; i < 8; i++)
        {
            ulong significand = s.U64(f.Regs[i].Significand);
            ushort signExponent = s.U16(f.Regs[i].SignExponent);
            f.Regs[i] = new Float80(significand, signExponent);
        }
        f.Control = s.U16(f.Control);
        f.Status = s.U16(f.Status);
        f.EmptyMask = s.U8(f.EmptyMask);
        f.InstructionPointer = s.U32(f.InstructionPointer);
        f.InstructionSelector = s.U16(f.InstructionSelector);
        f.OperandPointer = s.U32(f.OperandPointer);
        f.OperandSelector = s.U16(f.OperandSelector);
        f.Opcode = s.U16(f.Opcode);
    }
}
