using System.Diagnostics;
using System.Text.RegularExpressions;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tests.Faults;

/// <summary>
/// Host-side faults while tracing, with the real command-line program: the trace folder on a full
/// file system (a 1 MiB tmpfs made here) and the emulator killed with SIGKILL in the middle of a
/// trace. Either way the reader recovers every complete block, what it recovers is exactly the
/// start of the uninterrupted trace, and at most one block (64 KiB) is lost. The guest is
/// tracebench.elf (a 2.6 MB trace, kalloc/kfree pairs); the uninterrupted trace is made once.
/// </summary>
public sealed partial class TraceFaultTests : IClassFixture<TraceFaultTests.Reference>, IDisposable
{
    private readonly Reference _reference;
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-tracefault-").FullName;

    public TraceFaultTests(Reference reference) => _reference = reference;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The uninterrupted trace of tracebench.elf.</summary>
    public sealed class Reference : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-tracefault-ref-").FullName;

        public Reference()
        {
            ProcessRunner.Result r = Cli("trace", "--kernel", Repo.Guest("tracebench"), "--out", _dir);
            Assert.True(File.Exists(Path.Combine(_dir, "trace.m318")), $"no reference trace: exit {r.ExitCode}\n{r.Stderr}");
            Trace = TraceReader.Read(Path.Combine(_dir, "trace.m318"));
            Folder = _dir;
            Bytes = new FileInfo(Path.Combine(_dir, "trace.m318")).Length;
        }

        public TraceFile Trace { get; }

        public long Bytes { get; }

        /// <summary>The trace and the reports `trace` wrote beside it.</summary>
        public string Folder { get; }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }

    private static string CliDll => Path.Combine(AppContext.BaseDirectory, "minix318emu.dll");

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { CliDll }.Concat(args), TimeSpan.FromMinutes(5));

    [GeneratedRegex(@"lost the (\d+) bytes after it")]
    private static partial Regex LostBytes();

    /// <summary>The recovered calls are the reference's first calls, field by field.</summary>
    private void AssertIsPrefixOfReference(TraceFile salvaged)
    {
        Assert.NotNull(salvaged.Damage);
        Assert.InRange(salvaged.Calls.Count, 1, _reference.Trace.Calls.Count - 1);
        for (int i = 0; i < salvaged.Calls.Count; i++)
        {
            TraceCall a = salvaged.Calls[i], b = _reference.Trace.Calls[i];
            Assert.True(a.Id == b.Id && a.Function == b.Function && a.Entry == b.Entry && a.Exit == b.Exit && a.Size == b.Size && a.Result == b.Result,
                $"call {i} of the salvaged trace differs from the uninterrupted trace's");
        }
        long lost = long.Parse(LostBytes().Match(salvaged.Damage!).Groups[1].Value);
        Assert.InRange(lost, 0, TraceFormat.BlockBytes + 4096); // at most the block being written (a record may overrun it)
    }

    [SkippableFact]
    public void TraceFolderOnAFullFileSystem_ClearErrorAndTheCompleteBlocksAreReadable()
    {
        string mount = Path.Combine(_dir, "tmpfs");
        Directory.CreateDirectory(mount);
        ProcessRunner.Result m = ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mount], TimeSpan.FromSeconds(30));
        Skip.If(m.ExitCode != 0, $"a tmpfs cannot be mounted here (needs root/CAP_SYS_ADMIN): {m.Stderr.Trim()}");
        try
        {
            string outDir = Path.Combine(mount, "out");
            ProcessRunner.Result r = Cli("trace", "--kernel", Repo.Guest("tracebench"), "--out", outDir);

            Assert.Equal(2, r.ExitCode);
            string[] errors = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("trace.m318")).ToArray();
            string error = Assert.Single(errors);
            Assert.Contains("cannot write the trace (No space left on device", error);
            Assert.Matches(@"the first \d+ calls are in complete blocks \(analyze --salvage reads them\)", error);

            string trace = Path.Combine(outDir, "trace.m318");
            Assert.Throws<TraceFormatException>(() => TraceReader.Read(trace)); // never taken for a whole trace
            AssertIsPrefixOfReference(TraceReader.ReadReadablePrefix(trace));
            int said = int.Parse(Regex.Match(error, @"the first (\d+) calls").Groups[1].Value);
            Assert.Equal(said, TraceReader.ReadReadablePrefix(trace).Calls.Count);
        }
        finally
        {
            ProcessRunner.Run("umount", ["-l", mount], TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public void EmulatorKilledMidTrace_LosesAtMostTheBlockBeingWritten()
    {
        string outDir = Path.Combine(_dir, "killed");
        string trace = Path.Combine(outDir, "trace.m318");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { CliDll, "trace", "--kernel", Repo.Guest("tracebench"), "--out", outDir })
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!(File.Exists(trace) && new FileInfo(trace).Length >= _reference.Bytes / 3) && DateTime.UtcNow < deadline && !p.HasExited)
        {
            Thread.Sleep(5);
        }
        Assert.False(p.HasExited, "the trace finished before it could be killed");
        p.Kill(); // SIGKILL: no handler runs, nothing is flushed by the emulator
        p.WaitForExit();

        Assert.True(new FileInfo(trace).Length < _reference.Bytes, "killed after the trace was complete");
        AssertIsPrefixOfReference(TraceReader.ReadReadablePrefix(trace));
    }

    [Fact]
    public void AnalyzeInterruptedByCtrlC_LeavesOnlyWholeReports()
    {
        string trace = Path.Combine(_reference.Folder, "trace.m318");
        bool interrupted = false;
        for (int attempt = 0; attempt < 6 && !interrupted; attempt++)
        {
            string outDir = Path.Combine(_dir, $"analyze{attempt}");
            Directory.CreateDirectory(outDir);
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { CliDll, "analyze", trace, "--out-dir", outDir })
            {
                psi.ArgumentList.Add(a);
            }
            using Process p = Process.Start(psi)!;
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            // Interrupt once the reports have started to appear, a little later on each attempt.
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (Directory.GetFiles(outDir).Length == 0 && !p.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1);
            }
            Thread.Sleep(attempt * 20);
            ProcessRunner.Run("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            p.WaitForExit();
            interrupted = p.ExitCode != 0;
            foreach (string f in Directory.GetFiles(outDir).Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)))
            {
                string name = Path.GetFileName(f);
                Assert.True(File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_reference.Folder, name))),
                    $"{name} was left by an interrupted analyze (attempt {attempt}) but is not the whole report");
            }
        }
        Assert.True(interrupted, "analyze always finished before Ctrl-C reached it");
    }
}
