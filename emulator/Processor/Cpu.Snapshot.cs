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
/// TLB drifts from the uninterrupted run within twenty instructions of login:. The
/// architectural part is <see cref="CpuState.SyncArchitecturalState"/>; this file adds what is rebuilt.
/// </summary>
public sealed partial class Cpu : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        SyncArchitecturalState(s);

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
            cpu.TlbGeneration = s.U32(cpu.TlbGeneration);
            if (cpu.TlbGeneration is 0 or >= 0x1000)
            {
                throw s.Corrupt($"TLB generation {cpu.TlbGeneration} is outside 1..4095");
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
}
