using Minix318Emu.Cli.Commands;
using Minix318Emu.Cli.Progress;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Export;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Cli;

/// <summary>
/// analyze's progress within a phase: the reader counts the bytes it has parsed up to the
/// file's length, the analysis its passes over the calls, the Parquet export the calls copied
/// out; counts only grow and end at their totals. The line shows them; nothing is drawn when
/// standard error is not a terminal or with --quiet.
/// </summary>
public sealed class AnalyzeProgressTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-analyzeprogress-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Reader_Analysis_AndExport_CountUpToTheirTotals_AndNeverBack()
    {
        string path = Path.Combine(_dir, "t.m318");
        TraceBench.Synthesize(path, 600_000);
        long length = new FileInfo(path).Length;

        var reading = new WorkProgress();
        var seen = new List<long>();
        TraceFile t;
        using (var watcher = Watch(reading, seen))
        {
            t = TraceReader.Read(path, reading);
        }
        Assert.Equal("bytes", reading.Unit);
        Assert.Equal(length, reading.Total);
        Assert.Equal(length, reading.Done);
        AssertNonDecreasing(seen, length);

        var analysing = new WorkProgress();
        seen.Clear();
        using (var watcher = Watch(analysing, seen))
        {
            TraceAnalyzer.Analyze(t, analysing);
        }
        Assert.Equal(600_000L * TraceAnalyzer.CallPasses, analysing.Total);
        Assert.Equal(analysing.Total, analysing.Done);
        AssertNonDecreasing(seen, analysing.Total);

        var exporting = new WorkProgress();
        ParquetExport.Write(t, Path.Combine(_dir, "pq"), null, exporting);
        Assert.Equal("calls", exporting.Unit);
        Assert.Equal(600_000, exporting.Total);
        Assert.Equal(600_000, exporting.Done);

        // A salvaged read counts to the end of the readable prefix, not the file.
        byte[] bytes = File.ReadAllBytes(path);
        string cut = Path.Combine(_dir, "cut.m318");
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var salvaging = new WorkProgress();
        TraceFile prefix = TraceReader.ReadReadablePrefix(cut, salvaging);
        Assert.NotNull(prefix.Damage);
        Assert.True(salvaging.Total > 0 && salvaging.Total < bytes.Length / 2, $"{salvaging.Total} of {bytes.Length / 2}");
        Assert.Equal(salvaging.Total, salvaging.Done);
    }

    [Fact]
    public void PhaseText_ShowsBytesCallsOrAPercentage()
    {
        var p = new WorkProgress();
        Assert.Equal("reading t.m318", PhaseLine.Text("reading t.m318", p));   // not started: no figures
        p.Start(48L << 20, "bytes");
        p.Report(12L << 20);
        Assert.Equal("reading t.m318: 12.0 MiB of 48.0 MiB (25 %)", PhaseLine.Text("reading t.m318", p));
        p.Start(10_000_000, "calls");
        p.Report(2_097_152);
        Assert.Equal("writing parquet (9 of 9): 2,097,152 of 10,000,000 calls (21 %)", PhaseLine.Text("writing parquet (9 of 9)", p));
        p.Start(400, "");
        p.Report(100);
        Assert.Equal("analysing 100 calls and 0 messages: 25 %", PhaseLine.Text("analysing 100 calls and 0 messages", p));
        Assert.Equal("writing json (1 of 8)", PhaseLine.Text("writing json (1 of 8)", null));
    }

    [Fact]
    public void Analyze_Redirected_OrQuiet_DrawsNothing()
    {
        string path = Path.Combine(_dir, "t.m318");
        TraceBench.Synthesize(path, 200_000);
        string dll = Path.Combine(AppContext.BaseDirectory, "minix318emu.dll");
        foreach (string[] extra in new[] { Array.Empty<string>(), new[] { "--quiet" } })
        {
            var r = ProcessRunner.Run("dotnet", new[] { dll, "analyze", path, "--format", "json,parquet", "--out-dir", Path.Combine(_dir, "o") }.Concat(extra), TimeSpan.FromMinutes(3));
            Assert.True(r.ExitCode == 0, r.Stderr);
            Assert.Equal("", r.Stderr);
            Assert.DoesNotContain('\u001b', r.Stdout);
            Assert.DoesNotContain('\r', r.Stdout);
            Assert.DoesNotContain("analyze:", r.Stdout);
        }
    }

    [SkippableFact]
    public void Analyze_OnATerminal_DrawsItsLine_AndNotWithQuiet()
    {
        string? script = Repo.Which("script");
        Skip.If(script is null, "util-linux's script (a pseudo-terminal) is not installed");
        string path = Path.Combine(_dir, "t.m318");
        TraceBench.Synthesize(path, 200_000);
        string dll = Path.Combine(AppContext.BaseDirectory, "minix318emu.dll");
        string Shown(string extra)
        {
            string command = $"dotnet '{dll}' analyze '{path}' --format json --out-dir '{Path.Combine(_dir, "o")}' {extra}";
            var r = ProcessRunner.Run(script!, new[] { "-qec", command, "/dev/null" }, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["TERM"] = "xterm", ["COLUMNS"] = "100" });
            Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Stdout}{r.Stderr}");
            return r.Stdout;
        }
        string shown = Shown("");
        Assert.Contains("analyze: ", shown);
        Assert.Contains("\u001b[2K", shown);                      // the line cleared before the summary
        string quiet = Shown("--quiet");
        Assert.DoesNotContain("analyze: ", quiet);
        Assert.DoesNotContain("\u001b[2K", quiet);
    }

    /// <summary>Samples <paramref name="p"/>.Done from another thread until disposed, as the status line does.</summary>
    private static IDisposable Watch(WorkProgress p, List<long> seen)
    {
        var stop = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                lock (seen)
                {
                    seen.Add(p.Done);
                }
                Thread.Sleep(1);
            }
        });
        thread.Start();
        return new Stopper(() =>
        {
            stop.Cancel();
            thread.Join();
            stop.Dispose();
        });
    }

    private static void AssertNonDecreasing(List<long> seen, long total)
    {
        for (int i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] >= seen[i - 1] || seen[i] == 0, $"went back from {seen[i - 1]} to {seen[i]}");
            Assert.True(seen[i] <= total, $"{seen[i]} past the total {total}");
        }
    }

    private sealed class Stopper(Action stop) : IDisposable
    {
        public void Dispose() => stop();
    }
}
