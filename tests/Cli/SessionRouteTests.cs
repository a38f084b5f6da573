using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Cli;

/// <summary>
/// The session builder as users meet it through `run` and `trace`: every verb takes every boot
/// route, and an option the chosen route cannot honour is a one-line error, never ignored.
/// </summary>
public sealed class SessionRouteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-routes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(2));

    private static string Rom => Path.Combine(Repo.Guests, "bin", "rom.bin");

    /// <summary>A file a loader takes for a Linux bzImage (the "HdrS" signature at 0x202) without being one.</summary>
    private string FakeBzImage()
    {
        var b = new byte[0x1000];
        "HdrS"u8.CopyTo(b.AsSpan(0x202));
        string p = Path.Combine(_dir, "bzImage");
        File.WriteAllBytes(p, b);
        return p;
    }

    [Theory]
    [InlineData("run")]
    [InlineData("trace")]
    public void ContradictoryRoutes_AreRefused_ByEveryVerb(string verb)
    {
        string demo = Repo.Guest("demo");
        (string[] Args, string Message)[] cases =
        [
            (["--bios", Rom, "--kernel", demo], $"--bios {Rom} and --kernel {demo}: the firmware boots from the disks; give one or the other"),
            (["--bios", Rom, "--append", "x=1"], "--append cannot be used with --bios (the firmware loads what it boots)"),
            (["--bios", Rom, "--module", demo], "--module cannot be used with --bios (the firmware loads what it boots)"),
            (["--kernel", demo, "--initrd", demo], $"--initrd cannot be used with a multiboot kernel ({demo}); give its files with --module"),
            (["--kernel", FakeBzImage(), "--module", demo], $"--module cannot be used with a Linux kernel ({Path.Combine(_dir, "bzImage")}); give its initramfs with --initrd"),
            (["--console-script", "/no/such/script"], "--console-script /no/such/script: no such file"),
            (["--expect", "x", "--console-script", Rom], $"--console-script {Rom} and --expect/--send: give the script one way"),
            (["--send", "a\\q"], "--send 'a\\q': unknown escape \\q"),
            (["--gdb", "localhost:99999"], "--gdb 'localhost:99999': expected [HOST:]PORT with a port from 0 to 65535"),
        ];
        foreach ((string[] args, string message) in cases)
        {
            var r = Cli(new[] { verb, "--out", _dir }.Where(a => verb == "trace" || (a != "--out" && a != _dir)).Concat(args).ToArray());
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: exit code {r.ExitCode}, stderr {r.Stderr}");
            Assert.Equal($"minix318emu: {message}\n", r.Stderr);
        }
    }

    /// <summary>--tier: every verb takes it; a bad name is one line naming it; the compiled tier's run gives the interpreter's console and exit.</summary>
    [Theory]
    [InlineData("run")]
    [InlineData("trace")]
    public void Tier_IsTakenByEveryVerb_AndABadOneIsRefused(string verb)
    {
        string[] outArgs = verb == "trace" ? ["--out", _dir] : [];
        var bad = Cli([verb, .. outArgs, "--tier", "fast"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("minix318emu: --tier fast: not a tier (interp, jit or check)\n", bad.Stderr);
        var interp = Cli([verb, .. outArgs, "--tier", "interp", "--serial", "file:" + Path.Combine(_dir, "interp.txt")]);
        var jit = Cli([verb, .. outArgs, "--tier", "jit", "--serial", "file:" + Path.Combine(_dir, "jit.txt")]);
        Assert.Equal(interp.ExitCode, jit.ExitCode);
        Assert.NotEqual(0, File.ReadAllText(Path.Combine(_dir, "jit.txt")).Length);
        Assert.Equal(File.ReadAllText(Path.Combine(_dir, "interp.txt")), File.ReadAllText(Path.Combine(_dir, "jit.txt")));
    }

    [Fact]
    public void WithoutTier_TheCommandLineRunsTheCompiledTier_UnlessTheEnvironmentNamesAnother()
    {
        // The compiled tier's run summary line is logged only when a compiled tier ran.
        string[] args = ["run", "--log-level", "information", "--serial", "none"];
        var dll = new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") };
        var byDefault = ProcessRunner.Run("dotnet", dll.Concat(args), TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["MINIX318EMU_TIER"] = "" });
        Assert.Contains("compiled tier: ", byDefault.Stderr);
        var interp = ProcessRunner.Run("dotnet", dll.Concat(args), TimeSpan.FromMinutes(2), new Dictionary<string, string> { ["MINIX318EMU_TIER"] = "interp" });
        Assert.DoesNotContain("compiled tier: ", interp.Stderr);
        Assert.Equal(byDefault.ExitCode, interp.ExitCode);
    }

    [Fact]
    public void Trace_BootsFirmware_ThroughTheSameRouteAsRun()
    {
        var run = Cli("run", "--bios", Rom, "--debugcon", "0xe9");
        var trace = Cli("trace", "--bios", Rom, "--debugcon", "0xe9," + "file:" + Path.Combine(_dir, "debugcon.txt"), "--out", _dir);
        Assert.Equal(33, run.ExitCode); // the ROM's checks all passed (exit value 0x10)
        Assert.Equal(0, trace.ExitCode); // trace: 0 whenever the guest ended the run itself
        Assert.Contains("rom: protected mode", run.Stdout);
        Assert.Equal(run.Stdout, File.ReadAllText(Path.Combine(_dir, "debugcon.txt")));
        Assert.Contains("the Firmware boot loads no ELF files", trace.Stderr);
        Assert.True(File.Exists(Path.Combine(_dir, "trace.m318")));
    }

    [Fact]
    public void GdbStub_OnAnAddressOtherThanLoopback_WarnsThatOthersCanReachIt()
    {
        var local = Cli("run", "--gdb", "0", "--serial", "none");
        Assert.Equal(1, local.ExitCode);
        Assert.DoesNotContain("warning", local.Stderr);
        var open = Cli("run", "--gdb", "0.0.0.0:0", "--serial", "none");
        Assert.Equal(1, open.ExitCode);
        Assert.Contains("minix318emu: warning: 0.0.0.0 is reachable from other machines", open.Stderr);
    }
}
