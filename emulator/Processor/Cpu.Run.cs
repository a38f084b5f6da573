using System.Runtime.CompilerServices;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Emulator.Processor;

/// <summary>The dispatch loop: interrupts at block boundaries, then one cached block at a time.</summary>
public sealed partial class Cpu
{
    private bool _code32;          // CS.D: 32-bit code
    private uint _next;            // EIP of the next instruction; branches overwrite it
    private volatile bool _stopRequested; // set from other threads (Ctrl-C, the debugger)
    private Block? _prevBlock;             // the block that just completed, for chaining
    private ulong _runUntil;               // Run's limit; a device scheduling an earlier event lowers it
    private IBlockExecutor _executor;      // runs a block's instructions: the interpreter, or a compiled tier
    private uint _epoch = 1;               // bumped whenever linear-to-physical translation may change (CR3, TLB flushes, INVLPG)

    /// <summary>
    /// An interrupt controller's request to the CPU changed during an instruction (an EOI or a TPR
    /// write let a held-back interrupt through, a self-IPI was sent, a device raised its line): the
    /// running block ends after this instruction, so that the interrupt is recognised at the next
    /// instruction boundary (SDM vol. 3A 6.6) rather than at the end of the block.
    /// </summary>
    public void InterruptRequestChanged() => _exitBlock = true;

    /// <summary>Asks the CPU to leave <see cref="Run"/> at the next instruction boundary.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Whether a stop was requested (by a hook, a device or the debugger).</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>
    /// Recomputes cached mode bits after CS, CR0 or CPL change. Block links stay valid: a link
    /// holds the code size and the TLB set (privilege) it was made with and is only taken when
    /// both match, so a system call and its return (a microkernel's every message) no longer
    /// cost every hot block its link.
    /// </summary>
    internal void RefreshMode()
    {
        _code32 = Seg[SegReg.Cs].Big && ProtectedMode;
        _tlbBase = Cpl == 3 && PagingEnabled ? TlbSize : 0;
        Counters.ModeChanges++;
    }

    /// <summary>
    /// Runs until <see cref="CpuState.InstructionCount"/> reaches <paramref name="until"/>, the CPU halts,
    /// or a stop is requested. Exact to the instruction: a block is cut short at the limit.
    /// </summary>
    public void Run(ulong until)
    {
        _stopRequested = false;
        _runUntil = until;
        while (InstructionCount < _runUntil && !_stopRequested)
        {
            if (Halted)
            {
                if (!NmiDeliverable && (!IF || InterruptController is null || !InterruptController.InterruptPending))
                {
                    return;
                }
                Halted = false;
            }
            bool shadow = InterruptShadow;
            if (shadow)
            {
                InterruptShadow = MovSsShadow = false;
            }
            else if (NmiDeliverable)
            {
                _prevBlock = null;
                DeliverNmi();
                continue;
            }
            else if (IF && InterruptController is { InterruptPending: true } pic)
            {
                _prevBlock = null;
                DeliverExternalInterrupt(pic.Acknowledge());
                continue;
            }
            if ((FlagsOther & (EFlags.TF | EFlags.RF)) != 0)
            {
                SingleStep();
                continue;
            }
            // Under the shadow of STI, MOV SS or POP SS only the next instruction runs before
            // interrupts are looked at again (SDM vol. 3A 6.8.3): a block would carry on past it.
            ExecuteBlock(shadow ? 1 : _runUntil - InstructionCount, chain: true);
            if (DataBreakpointHits != 0)
            {
                DebugTrap(singleStep: false);
            }
        }
    }

    /// <summary>
    /// One instruction on its own, for TF and RF. With TF set at its start, the single-step trap
    /// (#DB with DR6.BS) follows it, before any external interrupt (SDM vol. 3B 17.3.1.4); none
    /// follows an instruction that faulted or raised a software interrupt (the handler runs with
    /// TF clear), nor MOV SS or POP SS, whose trap waits for the next instruction. RF, which
    /// suppressed this instruction's breakpoint, is clear once it has started.
    /// </summary>
    private void SingleStep()
    {
        bool step = (FlagsOther & EFlags.TF) != 0;
        long delivered = InterruptsDelivered;
        ulong count = InstructionCount;
        _prevBlock = null;
        ExecuteBlock(1, chain: false);
        if (InstructionCount == count)
        {
            return; // a hook stopped before it, or it faulted
        }
        FlagsOther &= ~EFlags.RF;
        step &= InterruptsDelivered == delivered && !MovSsShadow && !_stopRequested;
        if (step || DataBreakpointHits != 0)
        {
            DebugTrap(step);
        }
    }

    /// <summary>
    /// Lowers the current <see cref="Run"/>'s limit to <paramref name="until"/> (the block that
    /// is executing completes first), so that an event a device just scheduled runs on time.
    /// </summary>
    public void LimitRun(ulong until)
    {
        if (until < _runUntil)
        {
            _runUntil = until;
        }
    }

    /// <summary>Executes exactly one instruction (debugger single-step); interrupts are not delivered.</summary>
    public void Step()
    {
        _stopRequested = false;
        if (Halted)
        {
            return;
        }
        HookDoneAt = Seg[SegReg.Cs].Base + Eip;
        _prevBlock = null;
        ExecuteBlock(1, chain: false);
    }

    /// <summary>
    /// Runs the block at CS:EIP, at most <paramref name="budget"/> instructions of it; with
    /// <paramref name="chain"/> (the run loop only) compiled successors may follow through their
    /// links. A single step (the debugger's, or TF's) runs exactly one instruction: a one-
    /// instruction block runs whole, and chaining on from it ran whole blocks more (a gdb stepi
    /// under the compiled tier ran three instructions; a POPFD clearing TF took the #DB a
    /// thousand instructions late).
    /// </summary>
    private void ExecuteBlock(ulong budget, bool chain)
    {
        try
        {
            uint eip = Eip;
            uint limit = Seg[SegReg.Cs].Limit;
            if (eip > limit)
            {
                throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
            }
            uint lin = Seg[SegReg.Cs].Base + eip;
            if (_pendingReturnCount > 0)
            {
                CheckReturns(lin);
            }
            Block? prev = _prevBlock;
            Block b;
            Counters.BlocksRun++;
            if (prev is not null && LinkMatches(prev, lin) && (prev.LinkEpoch == _epoch || LinkStillMapped(prev, lin)))
            {
                b = prev.Link!; // LinkMatches saw it
                Counters.ChainHits++;
            }
            else
            {
                b = GetBlock(lin, _code32);
                if (prev is not null && !b.CrossesPage) // a crossing instruction's second page is fetched at every execution, in GetBlock
                {
                    prev.Link = b;
                    prev.LinkLinear = lin;
                    prev.LinkEpoch = _epoch;
                    prev.LinkSet = _tlbBase;
                }
            }
            // The hook test rides on the block: one flag, except for code reached through another linear alias.
            if (b.Linear == lin ? b.Hooked : _hookAddresses.Count > 0 && _hookAddresses.Contains(lin))
            {
                if (HookDoneAt != lin)
                {
                    HookDoneAt = lin;
                    if (InstructionBreakpoint(lin))
                    {
                        _prevBlock = null;
                        return;
                    }
                    if (Hooks.Hit(lin))
                    {
                        _stopRequested = true;
                        _prevBlock = null;
                        return;
                    }
                    if (!b.Valid)
                    {
                        _prevBlock = null;
                        return; // the hook changed hooks or code: look the block up again
                    }
                }
            }
            if (eip + b.Ops[0].Len - 1u > limit)
            {
                throw _fault.Set(ExceptionVectors.GeneralProtection, 0); // the first instruction's last byte is beyond the CS limit
            }
            HookDoneAt = 0xFFFF_FFFF;
            _prevBlock = null;
            int n = b.Count;
            if ((ulong)n > budget)
            {
                n = (int)budget;
            }
            if (_executor.Run(b, n))
            {
                _prevBlock = b;
                if (chain && _chainTier is { } tier)
                {
                    RunChain(b, tier);
                }
            }
        }
        catch (CpuFault f)
        {
            _prevBlock = null; // a block of the chain faulted (RunChain leaves the last whole block there only on its normal way out)
            DataBreakpointHits = 0; // the instruction did not complete: its data breakpoints are not reported
            DeliverException(f.Vector, f.ErrorCode);
        }
    }

    /// <summary>
    /// Whether <paramref name="prev"/>'s link leads to a valid block of the current code size at
    /// <paramref name="lin"/>, fetched through the current TLB set (the block entry and the
    /// compiled chain both take a link only then; the translation epoch is each one's own test).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool LinkMatches(Block prev, uint lin) =>
        prev.Link is { Valid: true } link && prev.LinkLinear == lin && prev.LinkSet == _tlbBase && link.Code32 == _code32;

    /// <summary>
    /// A link made before the last translation change (a CR3 load: MINIX's every process switch)
    /// is still right when the TLB still maps <paramref name="lin"/> to the linked block's
    /// address, as it does for global pages (the kernel's): the lookup would find that very block,
    /// since a valid block is the only one cached for its address. The link is renewed.
    /// </summary>
    private bool LinkStillMapped(Block prev, uint lin)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbRTag[i] != Tag(lin) || (uint)_tlbHost[i] + (lin & 0xFFF) != prev.Link!.Phys)
        {
            return false;
        }
        prev.LinkEpoch = _epoch;
        Counters.Relinks++;
        return true;
    }

    /// <summary>The interpreter's <see cref="IBlockExecutor.Run"/>: the first <paramref name="n"/> instructions of a block; true when it ran to its end (so it may be chained).</summary>
    internal bool RunOps(Block b, int n)
    {
        DecodedOp[] ops = b.Ops;
        for (int i = 0; i < n; i++)
        {
            ref DecodedOp op = ref ops[i];
            _next = Eip + op.Len; // not wrapped at 64 KiB in 16-bit code: the next fetch past the limit is #GP (386 and later)
            Execute(ref op);
            Eip = _next;
            InstructionCount++;
            if (_exitBlock)
            {
                _exitBlock = false; // the block was invalidated by a write, or a watchpoint hit
                return false;
            }
        }
        return n == b.Count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static MachineStopException Unimplemented(string what) =>
        new(StopReason.Unimplemented, $"not implemented: {what}");

    /// <summary>Stops the machine for a triple fault, with the register dump in the message.</summary>
    internal MachineStopException TripleFault(string why) =>
        new(StopReason.TripleFault, $"triple fault ({why})\n{DumpRegisters()}");

    /// <summary>A register dump for error messages.</summary>
    public string DumpRegisters()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append($"EAX={R[0]:X8} EBX={R[3]:X8} ECX={R[1]:X8} EDX={R[2]:X8}\n");
        sb.Append($"ESI={R[6]:X8} EDI={R[7]:X8} EBP={R[5]:X8} ESP={R[4]:X8}\n");
        sb.Append($"EIP={Eip:X8} EFL={GetFlags():X8} CPL={Cpl}\n");
        for (int i = 0; i < 6; i++)
        {
            ref SegmentCache s = ref Seg[i];
            sb.Append($"{SegReg.Name(i)} ={s.Selector:X4} {s.Base:X8} {s.Limit:X8} {s.Attr:X4}\n");
        }
        sb.Append($"LDT={Ldtr.Selector:X4} {Ldtr.Base:X8} TR={Tr.Selector:X4} {Tr.Base:X8}\n");
        sb.Append($"GDT={GdtBase:X8} {GdtLimit:X4} IDT={IdtBase:X8} {IdtLimit:X4}\n");
        sb.Append($"CR0={Cr0:X8} CR2={Cr2:X8} CR3={Cr3:X8} CR4={Cr4:X8}\n");
        sb.Append($"instructions={InstructionCount}");
        return sb.ToString();
    }
}
