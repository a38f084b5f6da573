using Minix318Emu.Emulator.Snapshots;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Snapshots;

/// <summary>
/// --save-state, --save-state-at and --load-state as a user runs them: a run ended at a console
/// text and resumed prints the rest of the uninterrupted run, on `run` and `trace`; a corrupt,
/// truncated, foreign, other-version or other-machine state file is a one-line error with exit
/// code 2, as are option combinations that cannot work.
/// </summary>
public sealed class StateCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-statecli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(2));

    private string P(string name) => Path.Combine(_dir, name);

    private string SelfcheckState()
    {
        string state = P("self.state");
        var r = Cli("run", "--kernel", Repo.Guest("selfcheck"), "--save-state", state, "--save-state-at", "cpucheck sub: ");
        Assert.Equal(0, r.ExitCode);
        Assert.EndsWith("cpucheck sub: ", r.Stdout);
        Assert.Matches(@"^minix318emu: state saved to .* at instruction \d+ \(\d+ bytes in \d+ ms\)\n$", r.Stderr.Replace("\r", ""));
        return state;
    }

    [Fact]
    public void Run_SavedAtAText_ResumesIntoTheRestOfTheUninterruptedRun()
    {
        var straight = Cli("run", "--kernel", Repo.Guest("selfcheck"));
        string state = SelfcheckState();
        var resumed = Cli("run", "--kernel", Repo.Guest("selfcheck"), "--load-state", state);
        Assert.Equal(straight.ExitCode, resumed.ExitCode);
        int at = straight.Stdout.IndexOf("cpucheck sub: ", StringComparison.Ordinal) + "cpucheck sub: ".Length;
        Assert.Equal(straight.Stdout[at..], resumed.Stdout);
        Assert.StartsWith("minix318emu: resumed from ", resumed.Stderr);
    }

    [Fact]
    public void Run_SavesAtTheInstructionLimit_AndTheResumedRunFinishes()
    {
        string state = P("limit.state");
        var first = Cli("run", "--kernel", Repo.Guest("selfcheck"), "--max-instructions", "1000000", "--save-state", state);
        Assert.Equal(8, first.ExitCode);
        Assert.Contains("at instruction 1000000 ", first.Stderr);
        var straight = Cli("run", "--kernel", Repo.Guest("selfcheck"));
        var resumed = Cli("run", "--kernel", Repo.Guest("selfcheck"), "--load-state", state);
        Assert.Equal(straight.ExitCode, resumed.ExitCode);
        Assert.Equal(straight.Stdout, first.Stdout + resumed.Stdout);
    }

    [Fact]
    public void Trace_ResumesFromAStateSavedByRun()
    {
        string state = P("demo.state");
        var saved = Cli("run", "--kernel", Repo.Guest("minix318"), "--module", Repo.Guest("prog_a"), "--module", Repo.Guest("prog_b"),
            "--module", Repo.Guest("prog_ucb"), "--max-instructions", "200000", "--save-state", state);
        Assert.Equal(8, saved.ExitCode);
        var traced = Cli("trace", "--load-state", state, "--out", P("out"));
        Assert.Equal(0, traced.ExitCode);
        Assert.Contains("resumed from", traced.Stderr);
        Assert.True(File.Exists(P("out/trace.m318")));
    }

    [Fact]
    public void BadStateFiles_AreOneLineErrors()
    {
        string good = SelfcheckState();
        byte[] bytes = File.ReadAllBytes(good);
        void Expect(string name, byte[] content, string message, params string[] extra)
        {
            string path = P(name);
            File.WriteAllBytes(path, content);
            var r = Cli(new[] { "run", "--kernel", Repo.Guest("selfcheck"), "--load-state", path }.Concat(extra).ToArray());
            Assert.Equal(2, r.ExitCode);
            Assert.Equal($"minix318emu: {path}: {message}\n", r.Stderr.Replace("\r", ""));
            Assert.Equal("", r.Stdout);
        }
        byte[] corrupt = (byte[])bytes.Clone();
        corrupt[^100] ^= 0x40;
        Expect("corrupt.state", corrupt, "checksum mismatch: the state file is corrupt");
        Expect("foreign.state", "#!/bin/sh\necho not a state\n"u8.ToArray(), "not a minix318emu state file (it does not start with M318SNAP)");
        Expect("empty.state", [], "not a minix318emu state file (it does not start with M318SNAP)");
        byte[] version = (byte[])bytes.Clone();
        version[8] = 9;
        Expect("version.state", version, $"state format version 9; this build reads version {StateFile.Version}");
        Expect("truncated-header.state", bytes[..12], "truncated: the header ends early");
        int cut = bytes.Length - 1000;
        Expect("truncated.state", bytes[..cut], $"truncated or padded: the header announces a {bodyLength(bytes)}-byte body, the file holds {bodyLength(bytes) - 1000} bytes after the header");
        Expect("machine.state", bytes, "made for a different machine: ram is 268435456 in the state, 134217728 here", "--memory", "128M");
        Expect("apic.state", bytes, "made for a different machine: apic is on in the state, off here", "--no-apic");

        static long bodyLength(byte[] file)
        {
            var r = new BinaryReader(new MemoryStream(file));
            r.ReadBytes(8);
            r.ReadUInt16();
            r.ReadString();
            r.ReadUInt64();
            return r.ReadInt64();
        }
    }

    [Fact]
    public void AStateForOneDisk_IsRefusedWithAnother()
    {
        string a = P("a.img"), b = P("b.img"), state = P("disk.state");
        File.WriteAllBytes(a, new byte[64 * 512]);
        var data = new byte[64 * 512];
        data[7] = 1;
        File.WriteAllBytes(b, data);
        Assert.Equal(8, Cli("run", "--kernel", Repo.Guest("selfcheck"), "--disk", a, "--max-instructions", "1000", "--save-state", state).ExitCode);
        var r = Cli("run", "--kernel", Repo.Guest("selfcheck"), "--disk", b, "--load-state", state);
        Assert.Equal(2, r.ExitCode);
        Assert.Matches($@"^minix318emu: {System.Text.RegularExpressions.Regex.Escape(state)}: made for a different machine: disk 0\.0 is 64 sectors sha256 [0-9a-f]{{64}} in the state, 64 sectors sha256 [0-9a-f]{{64}} here\n$", r.Stderr.Replace("\r", ""));
    }

    [Fact]
    public void SaveState_IntoAMissingFolder_IsRefusedBeforeTheRun()
    {
        string path = P("missing/x.state");
        var r = Cli("run", "--save-state", path);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: --save-state {path}: the folder {P("missing")} does not exist\n", r.Stderr.Replace("\r", ""));
        Assert.Equal("", r.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--save-state-at", "login: " }, "--save-state-at login:  needs --save-state FILE (where to save)")]
    [InlineData(new[] { "--save-state", "x.state", "--save-state-at", "login\\q" }, "--save-state-at: unknown escape \\q")]
    [InlineData(new[] { "--save-state", "x.state", "--persist" }, "--save-state cannot be used with --persist: the disk files go on changing after the save, so the state could not be resumed against them")]
    [InlineData(new[] { "--load-state", "/no/such.state" }, "--load-state /no/such.state: no such file")]
    public void ImpossibleStateOptions_AreUsageErrors(string[] options, string message)
    {
        var r = Cli(new[] { "run" }.Concat(options).ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: {message}\n", r.Stderr.Replace("\r", ""));
    }

    [Fact]
    public void Trace_SavedAndResumed_ContinuesWithTheRecordsOfTheUninterruptedTrace()
    {
        var straight = Cli("trace", "--out", P("straight"));
        Assert.Equal(0, straight.ExitCode);
        string state = P("trace.state");
        var first = Cli("trace", "--out", P("first"), "--max-instructions", "500000", "--save-state", state);
        Assert.Equal(8, first.ExitCode);
        var resumed = Cli("trace", "--out", P("resumed"), "--load-state", state);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("the trace continues after the ", resumed.Stderr);

        var s = Minix318Emu.Tracing.Format.TraceReader.Read(P("straight/trace.m318"));
        var f = Minix318Emu.Tracing.Format.TraceReader.Read(P("first/trace.m318"));
        var r = Minix318Emu.Tracing.Format.TraceReader.Read(P("resumed/trace.m318"));
        Assert.True(r.Calls.Count > 0 && f.Calls.Count > 0);
        // The first trace ends with the calls in progress at the save, as unreturned; the resumed
        // trace has them again, returned, where the uninterrupted trace has them.
        int before = f.Calls.Count(c => c.Returned);
        Assert.Equal(s.Calls.Count, before + r.Calls.Count);
        Assert.Equal(s.Calls.Skip(before).Select(Line), r.Calls.Select(Line));
        Assert.Equal(s.Messages.Skip(f.Messages.Count), r.Messages);
        Assert.Equal(s.Functions.OrderBy(x => x.Key), r.Functions.OrderBy(x => x.Key));
        Assert.Equal(s.Processes.OrderBy(x => x.Key), r.Processes.OrderBy(x => x.Key));
    }

    [Fact]
    public void Trace_Continued_IsTheUninterruptedTraceByteForByte()
    {
        var straight = Cli("trace", "--out", P("straight"));
        Assert.Equal(0, straight.ExitCode);
        string state = P("cont.state");
        Assert.Equal(8, Cli("trace", "--out", P("cont"), "--max-instructions", "500000", "--save-state", state).ExitCode);
        byte[] cut = File.ReadAllBytes(P("cont/trace.m318"));
        byte[] expected = File.ReadAllBytes(P("straight/trace.m318"));
        Assert.NotEqual(expected, cut); // finished at the save, its calls in progress written as unreturned

        var resumed = Cli("trace", "--out", P("cont"), "--load-state", state, "--continue-trace");
        Assert.Equal(0, resumed.ExitCode);
        Assert.Matches(@"minix318emu: continuing .*trace\.m318 after its first \d+ bytes \(\d+ calls, \d+ messages\)\n", resumed.Stderr.Replace("\r", ""));
        Assert.Equal(expected, File.ReadAllBytes(P("cont/trace.m318")));
        // The console continues too: the saving run's console.txt, then the resumed run's.
        string console = File.ReadAllText(P("straight/console.txt"));
        Assert.NotEqual("", console);
        Assert.Equal(console, File.ReadAllText(P("cont/console.txt")));
        // Continuing from the same state again replaces what the first continuation wrote after the save.
        Assert.Equal(0, Cli("trace", "--out", P("cont"), "--load-state", state, "--continue-trace").ExitCode);
        Assert.Equal(expected, File.ReadAllBytes(P("cont/trace.m318")));
        Assert.Equal(console, File.ReadAllText(P("cont/console.txt")));
        // A console file that is not the saving run's is refused, and left alone.
        File.WriteAllText(P("cont/console.txt"), "another console\n");
        var otherConsole = Cli("trace", "--out", P("cont"), "--load-state", state, "--continue-trace");
        Assert.Equal(2, otherConsole.ExitCode);
        Assert.StartsWith($"minix318emu: --continue-trace: {P("cont/console.txt")} ", otherConsole.Stderr);
        Assert.Single(otherConsole.Stderr.TrimEnd().Split('\n'));
        Assert.Equal("another console\n", File.ReadAllText(P("cont/console.txt")));

        var noState = Cli("trace", "--out", P("x"), "--continue-trace");
        Assert.Equal(2, noState.ExitCode);
        Assert.Equal("minix318emu: --continue-trace needs --load-state FILE (a state saved by trace)\n", noState.Stderr.Replace("\r", ""));
        string runState = SelfcheckState();
        var fromRun = Cli("trace", "--kernel", Repo.Guest("selfcheck"), "--out", P("x"), "--load-state", runState, "--continue-trace");
        Assert.Equal(2, fromRun.ExitCode);
        Assert.EndsWith($"minix318emu: --continue-trace: {runState} was not saved by trace, so there is no trace to continue\n", fromRun.Stderr.Replace("\r", ""));
    }

    /// <summary>Every field of a call record, its arguments and stack included.</summary>
    private static string Line(Minix318Emu.Tracing.Model.TraceCall c) =>
        $"{c.Id} {c.Parent} {c.Function} {c.Process} {c.Request} {c.Entry} {c.Exit} {c.Returned} {c.Negative} "
        + $"[{string.Join(",", Enumerable.Range(0, c.ArgCount).Select(c.Arg))}] {c.Size} {c.Pointer} {c.Result} {c.Caller} "
        + string.Join(" ", c.Stack.Select(f => f.ToString()));
}
