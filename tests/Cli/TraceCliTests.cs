using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Cli;

/// <summary>The trace and analyze verbs as a user runs them.</summary>
public sealed class TraceCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-tracecli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(2));

    [Fact]
    public void Trace_WithoutAKernel_TracesTheModelGuest_AndWritesEveryReport()
    {
        string outDir = Path.Combine(_dir, "out");
        var r = Cli("trace", "--out", outDir);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("ipc_kmsg_copyin -> kalloc  8 calls, 656 B", r.Stdout);
        Assert.Contains("anomalies: 3", r.Stdout);
        Assert.Contains("prog_ucb: malloc => morecore  4 calls", r.Stdout);
        foreach (string f in new[] { "trace.m318", "report.json", "topology.dot", "allocations.folded", "timeline.json", "summary.txt", "report.md", "report.html", "console.txt" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        }
        // report.md's feature variations follow from the programs' sources: prog_a's calloc(100, 4)
        // and memalign(256, 100); prog_b's valloc(2000), which calls memalign(4096, 2000); seven
        // reallocs, each growing its block: prog_a 5000 -> 9000, prog_b 20 -> 120 -> 220 -> 320,
        // prog_ucb 20 -> 22 (same bucket: in place) and 100 -> 300, the kernel's boot_realloc 100 -> 300.
        string md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("- **Zeroing (calloc):** 1 call for 400 B of zeroed memory.", md);
        Assert.Contains("- **Alignment (memalign):** 2 calls, alignments asked 256 B ×1, 4 096 B ×1; 0 results misaligned.", md);
        Assert.Contains("- **Alignment (valloc):** 1 call, alignments asked 4 096 B ×1; 0 results misaligned.", md);
        Assert.Contains("- **Realloc:** 7 calls (outermost): 7 grew a block (by 4 702 B (4.6 KiB) in all), 0 shrank one, 0 kept its size; 1 in place, 6 moved;", md);
        Assert.Contains("| prog_a | ", md);
        Assert.Contains("## Redundancy factor", md);
        Assert.Contains("locked: ", md);                  // libmalloc's mutex and the bootstrap allocator's spinlock
        Assert.True(md == File.ReadAllText(Path.Combine(Repo.Root, "docs", "minix318-model-report.md")),
            "docs/minix318-model-report.md is not what `minix318emu trace` writes; copy trace-out/report.md there");
        Assert.Contains("minix318 model: done", File.ReadAllText(Path.Combine(outDir, "console.txt")));
        var a = Cli("analyze", Path.Combine(outDir, "trace.m318"), "--format", "jsonl,text", "--out-dir", Path.Combine(_dir, "again"));
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(outDir, "summary.txt")), File.ReadAllText(Path.Combine(_dir, "again", "summary.txt")));
        Assert.True(File.ReadAllLines(Path.Combine(_dir, "again", "trace.jsonl")).Length > 300);
    }

    [Fact]
    public void Analyze_ADamagedTrace_OrABadFormat_IsOneLineAndExitCode2()
    {
        string t = Path.Combine(_dir, "t.m318");
        File.WriteAllBytes(t, "M318TRC\0"u8.ToArray().Concat(new byte[] { 2, 0, 3 }).ToArray());
        var r = Cli("analyze", t);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"minix318emu: {t}: truncated", r.Stderr);
        File.WriteAllBytes(t, "M318TRC\0"u8.ToArray().Concat(new byte[] { 1, 0, 3 }).ToArray()); // a version-1 trace (before messages)
        r = Cli("analyze", t);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"minix318emu: {t}: trace format version 1 is older than this reader's versions 2 to 3", r.Stderr);
        Assert.Contains("record the trace again", r.Stderr);
        r = Cli("analyze", t, "--format", "pdf");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("minix318emu: --format 'pdf'", r.Stderr);
        r = Cli("trace", "--profile", Path.Combine(_dir, "none.json"), "--out", _dir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no such profile file", r.Stderr);
    }
}
