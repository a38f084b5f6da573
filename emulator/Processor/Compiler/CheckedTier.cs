using System.Runtime.ExceptionServices;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// <c>--tier check</c>: the compiled tier, compiling every block on the guest's thread before its
/// first run, with every run of
/// compiled code checked against the interpreter. The interpreter runs the block first (it is
/// the reference), its RAM writes journaled; then its writes are undone, the architectural
/// state put back, and the compiled code runs the same block from the same state. The two must
/// end alike: same result, same fault, every architectural field (registers, EIP, EFLAGS as
/// the guest reads it, segment caches, x87, the instruction count) and the same RAM writes in
/// the same order. EFLAGS is compared by value, not by how the lazy record holds it: compiled
/// code leaves out records a later instruction overwrites (<see cref="FlagLiveness"/>), so the
/// record's stale fields may differ where no flag does. The first difference stops the machine, naming the block, the instruction
/// (found by compiling ever longer prefixes of the block) and the fields that differ. A run
/// that reached a device (ports, memory-mapped I/O), changed the address translation or the
/// CPU mode, or wrote to code (its first run dropped the decoded blocks, so a second would not
/// see the same write end the block) cannot be run twice: it keeps the interpreter's result and
/// counts as unchecked.
/// </summary>
internal sealed class CheckedTier : IBlockExecutor
{
    private static readonly string[] s_names = ["EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"];

    private readonly Cpu _cpu;
    private readonly CompiledTier _tier;
    private readonly WriteJournal _first = new(), _second = new();
    private readonly MemoryStream _before = new(), _stateA = new(), _stateB = new();

    public CheckedTier(Cpu cpu)
    {
        _cpu = cpu;
        _tier = new CompiledTier(cpu, synchronous: true, threshold: 1);
        cpu.Journal = _first;
    }

    /// <summary>What the tier did, with the checks counted.</summary>
    public CompilerStatistics Statistics => _tier.Statistics;

    /// <inheritdoc/>
    public bool Run(Block block, int count)
    {
        CompiledCode? code = block.Compiled ?? _tier.Heat(block);
        if (code is null || count != block.Count || _cpu.BlockExitRequested)
        {
            return _tier.Run(block, count);
        }
        Statistics.CompiledRuns++;
        Save(_before);
        long ports = _cpu.Counters.PortAccesses, modes = _cpu.Counters.ModeChanges, invalidated = _cpu.BlocksInvalidated;
        uint epoch = _cpu.Epoch;

        Outcome reference = RunJournaled(_first, () => _cpu.RunOps(block, count));
        if (_first.DeviceTouched || ports != _cpu.Counters.PortAccesses || modes != _cpu.Counters.ModeChanges || epoch != _cpu.Epoch
            || invalidated != _cpu.BlocksInvalidated || _cpu.DataBreakpointHits != 0)
        {
            Statistics.BlocksUnchecked++;
            return reference.Finish();
        }
        SaveFlagsByValue(_stateA);
        Rewind(_first);
        Outcome compiled = RunJournaled(_second, () => code(_cpu));
        SaveFlagsByValue(_stateB);
        if (!reference.SameAs(compiled) || !SameBytes(_stateA, _stateB) || WriteJournal.FirstDifference(_first, _second) is not null)
        {
            throw Mismatch(block, reference, compiled);
        }
        Statistics.BlocksChecked++;
        return compiled.Finish();
    }

    /// <summary>How one run of a block ended: its result, or the fault it raised (vector and error code), or another exception.</summary>
    private readonly record struct Outcome(bool Result, int Vector, int ErrorCode, ExceptionDispatchInfo? Other, CpuFault? Fault)
    {
        public bool SameAs(Outcome o) => Result == o.Result && Vector == o.Vector && ErrorCode == o.ErrorCode && (Other is null) == (o.Other is null);

        public bool Finish()
        {
            Other?.Throw();
            if (Fault is not null)
            {
                throw Fault;
            }
            return Result;
        }

        public override string ToString() => Other is not null ? Other.SourceException.Message : Fault is not null ? $"fault {Fault.Message}" : Result ? "ran to the end" : "ended early";
    }

    private Outcome RunJournaled(WriteJournal journal, Func<bool> run)
    {
        journal.Clear();
        _cpu.SwapJournal(journal);
        try
        {
            return new Outcome(run(), -1, -1, null, null);
        }
        catch (CpuFault f)
        {
            return new Outcome(false, f.Vector, f.ErrorCode, null, f);
        }
        catch (MachineStopException e)
        {
            return new Outcome(false, -1, -1, ExceptionDispatchInfo.Capture(e), null);
        }
    }

    /// <summary>Back to the state before the block: RAM writes undone, architectural state put back.</summary>
    private void Rewind(WriteJournal journal)
    {
        journal.Undo(_cpu.Memory);
        Restore();
    }

    private void Restore()
    {
        _before.Position = 0;
        _cpu.SyncArchitecturalState(StateSync.ForLoading(_before, "cpu"));
        _cpu.ClearBlockExit();
    }

    private void Save(MemoryStream to)
    {
        to.SetLength(0);
        _cpu.SyncArchitecturalState(StateSync.ForSaving(to, "cpu"));
    }

    /// <summary>Saves the state with the status flags folded to their values (the live lazy record is put back after).</summary>
    private void SaveFlagsByValue(MemoryStream to)
    {
        LazyFlags record = LazyFlags.Of(_cpu);
        uint status = _cpu.GetFlags() & EFlags.Arith;
        _cpu.SetStatusFlags(status);
        _cpu.LazyResult = _cpu.LazyDst = _cpu.LazySrc = _cpu.LazySign = 0;
        _cpu.LazyCarry = false;
        Save(to);
        record.Restore(_cpu);
    }

    /// <summary>The lazy-flag record's fields, to put back exactly.</summary>
    private readonly record struct LazyFlags(LazyOp Op, uint Result, uint Dst, uint Src, uint Sign, bool Carry, uint Bits)
    {
        public static LazyFlags Of(CpuState s) => new(s.Lop, s.LazyResult, s.LazyDst, s.LazySrc, s.LazySign, s.LazyCarry, s.FlagBits);

        public void Restore(CpuState s)
        {
            s.Lop = Op;
            s.LazyResult = Result;
            s.LazyDst = Dst;
            s.LazySrc = Src;
            s.LazySign = Sign;
            s.LazyCarry = Carry;
            s.FlagBits = Bits;
        }
    }

    private static bool SameBytes(MemoryStream a, MemoryStream b) =>
        a.Length == b.Length && a.GetBuffer().AsSpan(0, (int)a.Length).SequenceEqual(b.GetBuffer().AsSpan(0, (int)b.Length));

    /// <summary>The stop for a difference: the block, the first instruction whose prefix differs, and what differs.</summary>
    private MachineStopException Mismatch(Block block, Outcome reference, Outcome compiled)
    {
        string what = Describe(reference, compiled);
        _second.Undo(_cpu.Memory);
        int at = block.Count;
        for (int k = 1; k < block.Count; k++)
        {
            var prefix = new Block(block.Phys, block.Code32, block.Ops[..k], k, block.LastPhysPage, block.Linear, hooked: false);
            CompiledCode code = BlockCompiler.Compile(prefix, out _);
            Restore();
            Outcome r = RunJournaled(_first, () => _cpu.RunOps(prefix, k));
            SaveFlagsByValue(_stateA);
            Rewind(_first);
            Outcome c = RunJournaled(_second, () => code(_cpu));
            SaveFlagsByValue(_stateB);
            _second.Undo(_cpu.Memory);
            if (!r.SameAs(c) || !SameBytes(_stateA, _stateB) || WriteJournal.FirstDifference(_first, _second) is not null)
            {
                at = k;
                what = Describe(r, c);
                break;
            }
        }
        Restore();
        CpuState before = Load(_before);
        uint eip = before.Eip;
        for (int i = 0; i < at - 1; i++)
        {
            eip += block.Ops[i].Len;
        }
        ref DecodedOp op = ref block.Ops[at - 1];
        return new MachineStopException(StopReason.TierMismatch,
            $"tier check: the compiled block at {before.Seg[SegReg.Cs].Selector:X4}:{before.Eip:X8} (physical {block.Phys:X8}, {block.Count} instructions) " +
            $"differs from the interpreter at instruction {at}, EIP {eip:X8} ({(Iced.Intel.Code)op.Code}, form {(OpForm)op.Form}): {what}");
    }

    /// <summary>What differs between the two runs' outcomes, states (the fields of <see cref="_stateA"/> and <see cref="_stateB"/>) and writes.</summary>
    private string Describe(Outcome reference, Outcome compiled)
    {
        var diffs = new List<string>();
        if (!reference.SameAs(compiled))
        {
            diffs.Add($"interpreter {reference}, compiled {compiled}");
        }
        var a = Load(_stateA);
        var b = Load(_stateB);
        for (int r = 0; r < 8; r++)
        {
            if (a.R[r] != b.R[r])
            {
                diffs.Add($"{s_names[r]} {a.R[r]:X8} against {b.R[r]:X8}");
            }
        }
        void Field<T>(string name, T x, T y)
        {
            if (!EqualityComparer<T>.Default.Equals(x, y))
            {
                diffs.Add($"{name} {x} against {y}");
            }
        }
        Field("EIP", a.Eip, b.Eip);
        Field("instruction count", a.InstructionCount, b.InstructionCount);
        Field("lazy flags op", a.Lop, b.Lop);
        Field("lazy result", a.LazyResult, b.LazyResult);
        Field("lazy destination", a.LazyDst, b.LazyDst);
        Field("lazy source", a.LazySrc, b.LazySrc);
        Field("lazy size", a.LazySign, b.LazySign);
        Field("lazy carry", a.LazyCarry, b.LazyCarry);
        Field("status flags", a.FlagBits, b.FlagBits);
        Field("other flags", a.FlagsOther, b.FlagsOther);
        Field("CR2", a.Cr2, b.Cr2);
        if (WriteJournal.FirstDifference(_first, _second) is { } w)
        {
            diffs.Add(w);
        }
        if (diffs.Count == 0)
        {
            diffs.Add("another architectural field (segment caches, x87, control state)");
        }
        return "interpreter against compiled: " + string.Join("; ", diffs);
    }

    private static CpuState Load(MemoryStream from)
    {
        var s = new CpuState();
        from.Position = 0;
        s.SyncArchitecturalState(StateSync.ForLoading(from, "cpu"));
        return s;
    }
}
