using Minix318Emu.Emulator.Fpu;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The CPU's part of a machine snapshot: everything architectural (registers, lazy flags as
/// recorded, segment and descriptor-table caches, control, debug and model-specific registers,
/// the x87 file and environment) and the between-instruction state a resumed run needs to
/// continue exactly (halted, STI/MOV SS shadows, a pending or blocked NMI, the hook that already
/// ran at this address). The decoded-block cache is not saved: loading drops it and it refills
/// from memory. The TLB is saved, as its own part (<see cref="TlbState"/>, loaded last): a
/// guest that changes a page-table entry without INVLPG keeps using the old translation until
/// the entry leaves the TLB, and the real MINIX does exactly that, so a resume with a flushed
/// TLB drifts from the uninterrupted run within twenty instructions of login:. When the state
/// moves into one CpuState object (issue 15, item 4) this file becomes that object's
/// <see cref="ISnapshotState"/>.
/// </summary>
public sealed partial class Cpu : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
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
        _biosSignId = s.U64(_biosSignId);

        // Lazy flags exactly as recorded: the operation and its operands, not the folded EFLAGS,
        // so a flag computed after the resume is computed from the same inputs.
        _lop = s.Enum(_lop);
        _lres = s.U32(_lres);
        _ldst = s.U32(_ldst);
        _lsrc = s.U32(_lsrc);
        _lsign = s.U32(_lsign);
        _lcf = s.Bool(_lcf);
        _flagBits = s.U32(_flagBits);
        _flagsOther = s.U32(_flagsOther);

        Halted = s.Bool(Halted);
        _interruptShadow = s.Bool(_interruptShadow);
        _movSsShadow = s.Bool(_movSsShadow);
        _nmiPending = s.Bool(_nmiPending);
        _nmiBlocked = s.Bool(_nmiBlocked);
        _hookSkip = s.U32(_hookSkip);
        _drHits = s.U32(_drHits);
        _ferr = s.Bool(_ferr);
        SyncFpu(s, Fpu);
        s.Check(0xC0DE_CAFE);

        if (s.Loading)
        {
            // Derived state: the TLB, decoded blocks and chained links, the debug-register
            // breakpoints and the mode bits are rebuilt from what was loaded.
            _prevBlock = null;
            _exitBlock = false;
            FlushTlb();
            InvalidateAllBlocks();
            ArmBreakpoints();
            RefreshMode();
            ApicBaseChanged?.Invoke(ApicBase);
        }
    }

    /// <summary>
    /// The TLB as a snapshot part: its generation, both sets' tags and RAM offsets, the
    /// global-page bookkeeping, and the pages marked as holding decoded code (a page keeps
    /// its mark after its blocks are invalidated, and a marked page never gets a fast write
    /// entry, so the marks decide which writes walk the page tables again). Load it after every
    /// other part, since loading memory, the A20 gate or the APIC's mapping flushes the TLB.
    /// </summary>
    public ISnapshotState TlbState => new TlbPart(this);

    private sealed class TlbPart(Cpu cpu) : ISnapshotState
    {
        public void SyncState(StateSync s)
        {
            cpu._tlbGen = s.U32(cpu._tlbGen);
            if (cpu._tlbGen is 0 or >= 0x1000)
            {
                throw s.Corrupt($"TLB generation {cpu._tlbGen} is outside 1..4095");
            }
            s.U32s(cpu._tlbRTag);
            s.U32s(cpu._tlbWTag);
            s.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu._tlbHost.AsSpan()));
            s.Bools(cpu._tlbGlobal);
            s.Bools(cpu._tlbInGlobalList);
            int n = s.Count(cpu._tlbGlobalSlots.Count, cpu._tlbGlobal.Length, "global TLB slots");
            // In slot order, not fill order: the list is a set (CR3 loads and flushes walk all of
            // it), and its fill order depends on what the decoded-block cache holds, which a
            // resumed run starts empty (Linux resumed at "Run /init" filled two pairs of global entries the other
            // way round, with every entry, RAM byte and register equal).
            var slots = s.Loading ? new List<int>(n) : cpu._tlbGlobalSlots.Order().ToList();
            for (int i = 0; i < n; i++)
            {
                int slot = s.I32(s.Loading ? 0 : slots[i]);
                if ((uint)slot >= (uint)cpu._tlbGlobal.Length)
                {
                    throw s.Corrupt($"global TLB slot {slot} does not exist");
                }
                if (s.Loading)
                {
                    slots.Add(slot);
                }
            }
            List<int> code = s.Loading ? new List<int>() : cpu._mem.CodePageNumbers();
            int pages = s.Count(code.Count, 1 << 20, "code pages");
            for (int i = 0; i < pages; i++)
            {
                int page = s.I32(s.Loading ? 0 : code[i]);
                if ((uint)page >= 1u << 20)
                {
                    throw s.Corrupt($"code page {page} does not exist");
                }
                if (s.Loading)
                {
                    code.Add(page);
                }
            }
            if (s.Loading)
            {
                cpu._mem.SetCodePageNumbers(code);
                for (int i = 0; i < cpu._tlbHost.Length; i++)
                {
                    if (cpu._tlbHost[i] >= 0 && (uint)cpu._tlbHost[i] >= cpu._mem.RamSize)
                    {
                        throw s.Corrupt($"TLB entry {i} points at RAM offset 0x{cpu._tlbHost[i]:x}, beyond this machine's RAM");
                    }
                }
                cpu._tlbGlobalSlots.Clear();
                cpu._tlbGlobalSlots.AddRange(slots);
                cpu._epoch++;
            }
        }
    }

    /// <summary>
    /// The return watches in the order they are checked. They are an observer's, not the CPU's:
    /// a tracer saves its own with its state and restores them with <see cref="RestoreReturnWatch"/>.
    /// </summary>
    public IReadOnlyList<(uint ReturnLinear, uint EntryEsp, uint Cr3, long Token, Action<long> OnReturn)> ReturnWatches =>
        _pendingReturns.Select(p => (p.ReturnLinear, p.EntryEsp, p.Cr3, p.Token, p.OnReturn)).ToList();

    /// <summary>Adds a saved return watch back, with the address space it was set in.</summary>
    public void RestoreReturnWatch(uint returnLinear, uint entryEsp, uint cr3, long token, Action<long> onReturn)
    {
        _pendingReturns.Add(new PendingReturn(returnLinear, entryEsp, cr3, token, onReturn));
        _pendingReturnCount = _pendingReturns.Count;
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
