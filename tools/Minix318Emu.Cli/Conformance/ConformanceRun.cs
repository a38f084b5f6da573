using System.Diagnostics;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Conformance;

/// <summary>
/// Runs the same generated cases on the harness guest under minix318emu (in process) and under
/// qemu-system-i386, and compares the two outputs case by case.
/// </summary>
public static class ConformanceRun
{
    private const uint RamBytes = (uint)HarnessLayout.RamMiB << 20;

    /// <summary>Runs the harness on this emulator and returns its serial output.</summary>
    public static string RunOurs(string harness, string module)
    {
        var sink = new MemorySerialSink();
        BootedPc pc = MachineFactory.Boot(harness, "", new[] { new ModuleSpec(module, "cases") }, RamBytes, sink);
        RunResult r = pc.Machine.Run(new RunLimits(20_000_000_000));
        if (r.Reason != StopReason.GuestExit || r.ExitCode != 1)
        {
            int stuck = CaseResult.ParseAll(sink.Text).Keys.DefaultIfEmpty(-1).Max() + 1;
            throw new StuckCaseException(stuck, $"the harness did not finish under minix318emu ({r.Reason}: {r.Message})");
        }
        return sink.Text;
    }

    /// <summary>Runs the harness under QEMU (TCG) and returns its serial output.</summary>
    public static string RunQemu(string qemu, string harness, string module, TimeSpan timeout)
    {
        string output = Path.Combine(Path.GetTempPath(), $"minix318emu-conform-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        try
        {
            var psi = new ProcessStartInfo(qemu)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[]
            {
                "-m", HarnessLayout.RamMiB.ToString(System.Globalization.CultureInfo.InvariantCulture), "-display", "none", "-monitor", "none", "-no-reboot", "-nodefaults",
                "-serial", "file:" + output, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", harness, "-initrd", module,
            })
            {
                psi.ArgumentList.Add(a);
            }
            using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{qemu}: could not start");
            Task<string> err = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                string partial = File.Exists(output) ? File.ReadAllText(output) : "";
                int stuck = CaseResult.ParseAll(partial).Keys.DefaultIfEmpty(-1).Max() + 1;
                throw new StuckCaseException(stuck, $"{qemu} did not finish the harness within {timeout.TotalSeconds:0} s");
            }
            // isa-debug-exit: status (v << 1) | 1, so a clean harness exit (0) is 1.
            if (p.ExitCode != 1)
            {
                throw new InvalidOperationException($"{qemu} ended with status {p.ExitCode}: {err.Result.Trim()}");
            }
            return File.ReadAllText(output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Compares the two outputs for every case.</summary>
    public static ConformanceReport Compare(IReadOnlyList<ConformanceCase> cases, string ours, string reference)
    {
        Dictionary<int, CaseResult> a = CaseResult.ParseAll(ours), b = CaseResult.ParseAll(reference);
        var mismatches = new List<Mismatch>();
        var byFamily = new Dictionary<string, (int Cases, int Bad, int Faulted, int Known)>();
        for (int i = 0; i < cases.Count; i++)
        {
            ConformanceCase c = cases[i];
            CaseResult? x = a.GetValueOrDefault(i), y = b.GetValueOrDefault(i);
            List<string> diff = x is null || y is null
                ? new List<string> { $"no result from {(x is null ? "minix318emu" : "the reference")}" }
                : CaseComparer.Compare(c, x, y);
            KnownDeviation known = diff.Count > 0 && x is not null && y is not null ? Matching(c.Deviation, x, y, diff) : KnownDeviation.None;
            var (n, bad, faulted, knownCount) = byFamily.GetValueOrDefault(c.Family);
            bool failed = diff.Count > 0 && known == KnownDeviation.None;
            byFamily[c.Family] = (n + 1, bad + (failed ? 1 : 0), faulted + (y is not null && y.Vector != CaseResult.NoFault ? 1 : 0), knownCount + (known != KnownDeviation.None ? 1 : 0));
            if (diff.Count > 0)
            {
                mismatches.Add(new Mismatch(i, c.Family, c.Text, diff, known));
            }
        }
        var families = CaseGenerator.Families.Where(byFamily.ContainsKey)
            .Select(f => new FamilyResult(f, byFamily[f].Cases, byFamily[f].Bad, byFamily[f].Faulted, byFamily[f].Known)).ToList();
        return new ConformanceReport(families, mismatches);
    }

    /// <summary>The documented QEMU departure, among those the case was tagged with, that the difference is exactly; None if it is none of them.</summary>
    private static KnownDeviation Matching(KnownDeviation tags, CaseResult ours, CaseResult qemu, List<string> diff)
    {
        foreach (KnownDeviation d in Enum.GetValues<KnownDeviation>())
        {
            if (d != KnownDeviation.None && (tags & d) != 0 && IsKnown(d, ours, qemu, diff))
            {
                return d;
            }
        }
        return KnownDeviation.None;
    }

    private static bool IsKnown(KnownDeviation d, CaseResult ours, CaseResult qemu, List<string> diff) =>
        // The SDM's segment check faulted here; QEMU performed the access.
        ((d & KnownDeviation.SegmentChecks) != 0 && ours.Vector is 12 or 13 && qemu.Vector == CaseResult.NoFault)
        // A page fault reported with W/R set here and clear by QEMU (whose read may then fault on another page of a split access).
        || ((d & KnownDeviation.ReadModifyWriteFaultAsRead) != 0 && ours.Vector == 14 && qemu.Vector == 14 && (ours.Error & 2) != 0 && (qemu.Error & 2) == 0)
        // Only EFLAGS differ, only in OF/SF/AF, and ours has them clear as the SDM's FCOMI says.
        || ((d & KnownDeviation.FcomiKeepsOfSfAf) != 0 && diff.Count == 1 && diff[0].StartsWith("eflags", StringComparison.Ordinal)
            && ((ours.Eflags ^ qemu.Eflags) & ~0x890u & 0x0CD5) == 0 && (ours.Eflags & 0x890) == 0)
        // Both raise #GP at the far transfer; only the error code differs, ours 0 and QEMU's a selector.
        || ((d & KnownDeviation.FarLimitErrorCode) != 0 && diff.Count == 1 && diff[0].StartsWith("error code", StringComparison.Ordinal)
            && ours.Vector == 13 && qemu.Vector == 13 && ours.Error == 0 && qemu.Error != 0)
        // Every differing register holds a NaN on both sides, and nothing else differs but memory the NaN was stored to.
        || ((d & KnownDeviation.FscaleNaNChoice) != 0 && OnlyNaNsDiffer(ours, qemu, diff))
        // Only the status word (and its copy in EAX) differ, and only in C3 and C0.
        || ((d & KnownDeviation.Fprem1QuotientBits) != 0 && ours.Fpu is not null && qemu.Fpu is not null
            && diff.All(x => x.StartsWith("fsw", StringComparison.Ordinal) || x.StartsWith("eax", StringComparison.Ordinal))
            && ((System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(ours.Fpu.AsSpan(4))
                ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(qemu.Fpu.AsSpan(4))) & 0xFDFD & ~0x4100) == 0);

    private static bool OnlyNaNsDiffer(CaseResult ours, CaseResult qemu, List<string> diff)
    {
        if (ours.Fpu is null || qemu.Fpu is null || diff.Any(x => !x.StartsWith("st", StringComparison.Ordinal) && !x.StartsWith("data", StringComparison.Ordinal)))
        {
            return false;
        }
        bool any = false;
        for (int i = 0; i < 8; i++)
        {
            ReadOnlySpan<byte> a = ours.Fpu.AsSpan(28 + 10 * i, 10), b = qemu.Fpu.AsSpan(28 + 10 * i, 10);
            if (!a.SequenceEqual(b))
            {
                if (!IsNaN(a) || !IsNaN(b))
                {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private static bool IsNaN(ReadOnlySpan<byte> x) =>
        (System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(x[8..]) & 0x7FFF) == 0x7FFF
        && (System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(x) << 1) != 0;

    /// <summary>Generates, writes and runs the cases on both CPUs.</summary>
    public static ConformanceReport Run(string harness, string qemu, int seed, int count, IReadOnlyList<string> families, string workDir, int? only = null)
    {
        List<ConformanceCase> cases = new CaseGenerator(seed).Generate(count, families);
        if (only is int k)
        {
            if (k < 0 || k >= cases.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(only), $"case {k} is not among the {cases.Count} generated");
            }
            cases = Enumerable.Repeat(cases[k], 1).ToList();
        }
        Directory.CreateDirectory(workDir);
        string module = Path.Combine(workDir, $"cases-{seed}-{count}.bin");
        ConformanceCase.WriteModule(module, cases);
        Task<string> reference = Task.Run(() => RunQemu(qemu, harness, module, TimeSpan.FromSeconds(60 + count / 50)));
        string ours, theirs;
        try
        {
            ours = RunOurs(harness, module);
            File.WriteAllText(Path.Combine(workDir, "minix318emu.txt"), ours);
            theirs = reference.GetAwaiter().GetResult();
        }
        catch (StuckCaseException e) when (e.Case < cases.Count)
        {
            throw new InvalidOperationException($"{e.Message}: it stopped at case {e.Case} ({cases[e.Case].Family}): {cases[e.Case].Text}");
        }
        File.WriteAllText(Path.Combine(workDir, "qemu.txt"), theirs);
        return Compare(cases, ours, theirs);
    }
}
