using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Minix;

/// <summary>
/// The real MINIX through the `run` command as a user types it, standard input at end of file
/// (as in CI): a login driven by --expect/--send in command-line order, and an untouched login
/// prompt that waits like an idle terminal (one prompt, no hang-up, no respawned getty).
/// </summary>
public sealed class RealMinixCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-minixcli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(IEnumerable<string> args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(5));

    private static List<string> BootArgs(MinixDistribution d)
    {
        var args = new List<string> { "run", "--kernel", d.Kernel, "--append", d.CommandLine, "--disk", RealMinix.RootDisk(d) };
        foreach (string m in d.Modules)
        {
            args.AddRange(new[] { "--module", m });
        }
        return args;
    }

    [SkippableFact]
    public void ExpectAndSend_LogInAndPowerOff_WithStdinAtEndOfFile()
    {
        MinixDistribution d = RealMinix.Require();
        string console = Path.Combine(_dir, "console.txt");
        var args = BootArgs(d);
        args.AddRange(new[] { "--serial", "file:" + console, "--expect", "login: ", "--send", "root\\r", "--expect", "# ", "--send", "id\\r",
            "--expect", "# ", "--send", "/sbin/poweroff\\r", "--max-instructions", "2000000000" });
        var r = Cli(args);
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Stderr}");
        string text = File.ReadAllText(console).Replace("\r", "");
        Assert.Contains("login: root\n", text);
        Assert.Matches(@"# id\nuid=0\(root\) gid=0\(\w+\)", text);
        Assert.Contains("poweroff: powered off by root", text);
    }

    [SkippableFact]
    public void LoginPrompt_WaitsLikeAnIdleTerminal_WhenStdinIsAtEndOfFile()
    {
        MinixDistribution d = RealMinix.Require();
        var args = BootArgs(d);
        // login: appears after about 311 M instructions; give the idle system 150 M more (over a second of guest time).
        args.AddRange(new[] { "--serial", "stdio", "--max-instructions", "460000000" });
        var r = Cli(args);
        Assert.Equal(8, r.ExitCode);
        Assert.Equal("minix318emu: instruction limit of 460000000 reached\n", r.Stderr);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(r.Stdout, "login: "));
        Assert.EndsWith("login: ", r.Stdout);
    }
}
