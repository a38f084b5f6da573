using Iced.Intel;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Elf;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Minix;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tests.Tracing;

/// <summary>
/// The real MINIX 3.4 boot traced with the minix3 profile: the process table is found in the
/// running kernel, every call carries MINIX's own process name and endpoint, and the counts
/// equal an independent count of every hooked entry on every (process, function) pair.
/// </summary>
[Collection(RealMinixTraceCollection.Name)]
public sealed class RealMinixProcessTests
{
    private readonly RealMinixBootFixture _fixture;

    public RealMinixProcessTests(RealMinixBootFixture fixture) => _fixture = fixture;

    [SkippableFact]
    public void TheBootReachesLogin_AndEndsAtTheFixedInstructionCount()
    {
        RealMinixBoot b = _fixture.Boot();
        Assert.Equal(StopReason.LimitReached, b.Outcome.Result.Reason);
        Assert.Contains("login:", b.Outcome.Serial);
        Assert.Empty(b.Outcome.Missing);
        Assert.Equal(0, b.Report.Trace.UnreturnedCalls); // getty waits: nothing is in progress at the end
    }

    [SkippableFact]
    public void ProcessTableLayout_IsFoundFromAnchors_AndIsWhatTheKernelsOwnCodeUses()
    {
        RealMinixBoot b = _fixture.Boot();
        MinixProcessTable t = b.Outcome.Table;
        Assert.NotNull(t.Layout);
        Assert.Equal(560, t.Layout.Stride);                  // sizeof 'proc' 146 160 / (5 tasks + 256 processes)
        Assert.Equal(261, t.Layout.Count);
        Assert.Equal(5, t.Boot.TaskCount);
        Assert.Equal(248, t.Layout.NameOffset);
        Assert.Equal(264, t.Layout.EndpointOffset);
        Assert.Equal(336, t.DeliverMsgOffset);               // p_sendmsg starts at 272: messages are 16-byte aligned
        Assert.Equal(56, t.Cr3Offset);                       // p_seg follows the 56-byte stackframe_s
        Assert.Equal(0, t.Cr3Mismatches);
        Assert.Equal(0, t.DeliverMsgConflicts);
        Assert.True(b.Outcome.PagedTable.AsSpan().SequenceEqual(b.Outcome.PhysicalTable)); // physical reads see what the kernel's page tables map

        // The kernel's own machine code uses the same offsets: __switch_address_space loads CR3
        // from p_seg.p_cr3; switch_to_user's delivermsg marks p_delivermsg.m_source NONE (0x7bff)
        // and takes p_name's address for its warning; mini_send compares p_endpoint.
        ElfFile k = ElfFile.Load(RealMinix.Require().Kernel);
        List<Instruction> switchAs = Decode(k, "__switch_address_space");
        int load = switchAs.FindIndex(i => i.Mnemonic == Mnemonic.Mov && i.Op1Kind == OpKind.Memory && i.MemoryDisplacement32 == 56);
        Assert.True(load >= 0 && switchAs.Skip(load).Any(i => i.Mnemonic == Mnemonic.Mov && i.Op0Register == Register.CR3 && i.Op1Register == switchAs[load].Op0Register));
        List<Instruction> stu = Decode(k, "switch_to_user");
        Assert.Contains(stu, i => i.Mnemonic == Mnemonic.Mov && i.Op0Kind == OpKind.Memory && i.MemoryDisplacement32 == 336 && i.Immediate32 == 0x7BFF);
        Assert.Contains(stu, i => i.Mnemonic == Mnemonic.Lea && i.MemoryDisplacement32 == 248);
        Assert.Contains(Decode(k, "mini_send"), i => i.Op1Kind == OpKind.Memory && i.MemoryDisplacement32 == 264 && i.Mnemonic == Mnemonic.Cmp);
    }

    private static List<Instruction> Decode(ElfFile k, string function)
    {
        ElfSymbol f = k.FindSymbol(function)!;
        ElfSegment seg = k.Segments.First(s => s.Type == ElfSegment.Load && f.Value >= s.VirtualAddress && f.Value < s.VirtualAddress + s.FileSize);
        uint size = f.Size != 0 ? f.Size : 0x40; // the assembly function has no size: its first instructions suffice
        var decoder = Decoder.Create(32, new ByteArrayCodeReader(k.Data, (int)(seg.Offset + f.Value - seg.VirtualAddress), (int)size), f.Value);
        var list = new List<Instruction>();
        while (decoder.IP < f.Value + size)
        {
            list.Add(decoder.Decode());
        }
        return list;
    }

    [SkippableFact]
    public void EveryCall_IsNamedByMinix_WithItsEndpoint()
    {
        RealMinixBoot b = _fixture.Boot();
        var named = b.Trace.Calls.Select(c => b.Trace.Processes[c.Process]).Distinct().ToList();
        Assert.All(named, p => Assert.NotNull(p.Endpoint));
        var endpoints = named.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Select(p => p.Endpoint!.Value).Order().ToArray());
        // The boot processes' endpoints are their process numbers (minix/include/minix/com.h):
        // vfs 1, rs 2, ds 6, mib 7, vm 8, pfs 9, mfs 10, init 11. A second mfs, started from disk
        // for the root file system, and init's forked children (named "init*F" by the kernel's
        // do_fork) have endpoints of a later generation (generation << 15 + slot).
        Assert.Equal(new[] { "ds", "init", "init*F", "mfs", "mib", "pfs", "rs", "vfs", "vm" }, endpoints.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { 8 }, endpoints["vm"]);
        Assert.Equal(new[] { 1 }, endpoints["vfs"]);
        Assert.Equal(new[] { 2 }, endpoints["rs"]);
        Assert.Equal(new[] { 6 }, endpoints["ds"]);
        Assert.Equal(new[] { 11 }, endpoints["init"]);
        Assert.Equal(10, endpoints["mfs"][0]);
        Assert.Equal(2, endpoints["mfs"].Length);
        Assert.True(endpoints["mfs"][1] >> 15 >= 1);
        Assert.All(endpoints["init*F"], e => Assert.True(e >> 15 >= 1));
        // Processes started later from the disk have no symbols and run no traced code, yet the
        // messages name them: getty on the console, the shell running /etc/rc, readclock.
        var all = b.Trace.Processes.Values.Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "getty", "sh", "readclock", "pci", "at_wini", "procfs", "minix-service", "tty", "pm", "sched", "clock", "system", "kernel" }, all);
        var diag = b.Outcome.Diagnostics;
        Assert.Equal(0, diag.CurrentProcessMisses);
        Assert.Equal(0, diag.ImageNameMismatches);
        Assert.Equal(0, diag.CopiesOffLayout);
        Assert.Equal(0, diag.FailedCopies);
    }

    [SkippableFact]
    public void CountsEqualAnIndependentCount_OnEveryProcessFunctionPair_VmIncluded()
    {
        RealMinixBoot b = _fixture.Boot();
        var traced = b.Trace.Calls.GroupBy(c => (b.Trace.Processes[c.Process].Name, b.Trace.Functions[c.Function].Name))
            .ToDictionary(g => g.Key, g => (long)g.Count());
        IReadOnlyDictionary<(string, string), long> independent = b.Outcome.IndependentCounts!;
        Assert.Equal(independent.Keys.Order().ToList(), traced.Keys.Order().ToList());
        Assert.All(independent, kv => Assert.Equal(kv.Value, traced[kv.Key]));
        // The same total as gdb breakpoints on every allocator entry, on this emulator and on QEMU (issue 12).
        Assert.Equal(65_631, traced.Values.Sum());
        // VM's own allocators, which the minix3 profile's Images filter ("vm") now reaches.
        Assert.Equal(26_958, traced[("vm", "slaballoc")]);
        Assert.Equal(17_327, traced[("vm", "slabfree")]);
        Assert.Equal(7_775, traced[("vm", "alloc_mem")]);
        Assert.Equal(3_687, traced[("vm", "free_mem")]);
        Assert.True(traced.Where(kv => kv.Key.Item1 == "vm").Sum(kv => kv.Value) > 50_000);
    }

    /// <summary>
    /// Determinism and the snapshot property at once: the second boot is saved 300 M instructions
    /// in and continued by another machine loaded from the state, and its trace file still equals
    /// the first boot's byte for byte (it did not, before the block decoder stopped walking the
    /// page after a block's end: four records 1.8 M instructions after the resume were a tick early).
    /// </summary>
    [SkippableFact]
    public void TwoTracedBoots_OneSavedAndResumed_GiveByteIdenticalTraces()
    {
        RealMinixBoot b = _fixture.Boot();
        string again = _fixture.SecondTrace();
        byte[] straight = File.ReadAllBytes(b.Outcome.TracePath), resumed = File.ReadAllBytes(again);
        int at = straight.AsSpan().CommonPrefixLength(resumed);
        Assert.True(at == straight.Length && at == resumed.Length,
            $"the resumed trace differs from the straight one at byte {at} (straight {straight.Length} bytes, resumed {resumed.Length})");
    }

    /// <summary>
    /// The compiled tier on the real guest: the boot traced under `--tier jit`, with its
    /// compiles landing whenever the compile thread finishes them and compiled blocks running
    /// into each other through their links, writes the interpreter's trace byte for byte.
    /// </summary>
    [SkippableFact]
    public void TheBootTracedUnderTheCompiledTier_GivesTheInterpretersTraceByteForByte()
    {
        RealMinixBoot b = _fixture.Boot();
        var (path, stats) = _fixture.CompiledTrace();
        byte[] interpreted = File.ReadAllBytes(b.Outcome.TracePath), compiled = File.ReadAllBytes(path);
        int at = interpreted.AsSpan().CommonPrefixLength(compiled);
        Assert.True(at == interpreted.Length && at == compiled.Length,
            $"the compiled tier's trace differs from the interpreter's at byte {at} (interpreter {interpreted.Length} bytes, compiled {compiled.Length})");
        Assert.True(stats.BlocksCompiled > 500, $"only {stats.BlocksCompiled} blocks were compiled");
        Assert.True(stats.CompiledRuns > stats.InterpretedRuns, $"{stats.CompiledRuns} compiled block runs against {stats.InterpretedRuns} interpreted");
        Assert.True(stats.ChainedRuns > 0, "no compiled block was entered through a link");
        Assert.Equal(0, stats.CompileFailures);
    }
}
