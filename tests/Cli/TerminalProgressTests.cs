using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Cli;

/// <summary>
/// The live status line and the summary table appear on a terminal only: `trace` run under a
/// pseudo-terminal (util-linux `script`) draws them, with --quiet it does not, and redirected
/// (as every other test runs it) it writes no escape sequence and no carriage return.
/// </summary>
public sealed class TerminalProgressTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-tty-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Runs the CLI with a terminal as its standard output and error; returns what the terminal received.</summary>
    private string OnTerminal(params string[] args)
    {
        string? script = Repo.Which("script");
        Skip.If(script is null, "util-linux's script (a pseudo-terminal) is not installed");
        string dll = Path.Combine(AppContext.BaseDirectory, "minix318emu.dll");
        string command = string.Join(' ', new[] { "dotnet", dll }.Concat(args).Select(a => $"'{a}'"));
        var r = ProcessRunner.Run(script!, new[] { "-qec", command, "/dev/null" }, TimeSpan.FromMinutes(3), new Dictionary<string, string> { ["TERM"] = "xterm", ["COLUMNS"] = "100" });
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Stdout}{r.Stderr}");
        return r.Stdout;
    }

    [SkippableFact]
    public void Trace_OnATerminal_DrawsTheStatusLineAndTheTable_AndNotWithQuiet()
    {
        string shown = OnTerminal("trace", "--out", Path.Combine(_dir, "a"));
        Assert.Matches(@"guest \d+\.\d{3} s  \d+\.\d M instr  \d+\.\d MIPS  [\d,]+ calls  trace [\d.]+ (B|KiB|MiB)", shown);
        Assert.Contains("\u001b[2K", shown);                          // the line cleared before the summary
        Assert.Matches(@"│ traced calls +│ 372 +│", shown);                  // the label column is as wide as its longest label ("compiled tier" under jit)
        Assert.Contains("trace and reports written to", shown);

        string quiet = OnTerminal("trace", "--quiet", "--out", Path.Combine(_dir, "b"));
        Assert.DoesNotContain("M instr", quiet);
        Assert.DoesNotContain("│", quiet);
        Assert.DoesNotContain("\u001b[?25l", quiet);                 // the live display hides the cursor while it draws
        Assert.DoesNotContain("\u001b[2K", quiet);
        Assert.Contains("trace and reports written to", quiet);
        // The line's thread only reads counters: the traced run is the same run, byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "b", "trace.m318")), File.ReadAllBytes(Path.Combine(_dir, "a", "trace.m318")));
    }

    [Fact]
    public void Trace_Redirected_WritesNoEscapesAndNoCarriageReturns()
    {
        var r = ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll"), "trace", "--out", Path.Combine(_dir, "r") }, TimeSpan.FromMinutes(2));
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain('\u001b', r.Stdout + r.Stderr);
        Assert.DoesNotContain('\r', r.Stdout + r.Stderr);
        Assert.DoesNotContain("│", r.Stdout + r.Stderr);
        Assert.StartsWith("minix318emu: GuestExit: ", r.Stderr.Split('\n').First(l => !l.Contains("topology.svg", StringComparison.Ordinal)));
    }
}
