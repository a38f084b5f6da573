using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Cli;

/// <summary>The `minix318emu` program as a user runs it: output, exit codes and one-line errors.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) => CliWithEnv(null, args);

    private static ProcessRunner.Result CliWithEnv(IDictionary<string, string>? env, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "minix318emu.dll");
        return ProcessRunner.Run("dotnet", new[] { dll }.Concat(args), TimeSpan.FromMinutes(2), env);
    }

    [Fact]
    public void Run_WithoutAKernel_BootsTheBundledDemo()
    {
        var r = Cli("run");
        Assert.Equal(1, r.ExitCode); // the demo exits with value 0
        Assert.Contains("minix318emu demo guest", r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Version_IsOneLineOnStdout_AndExitCode0()
    {
        // As `dotnet tool install` users check it (tools/check-tool-install.sh); the parser's own version went to stderr with exit code 2.
        var r = Cli("--version");
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        Assert.Matches(@"^minix318emu \d+\.\d+\.\d+\S*\n$", r.Stdout.Replace("\r", ""));
        Assert.Equal(0, Cli("help", "trace").ExitCode);
    }

    [Fact]
    public void Run_GuestExitValueBecomesTheExitCode()
    {
        var r = Cli("run", "--kernel", Repo.Guest("selfcheck"), "--serial", "none");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Serial_ToAFile()
    {
        string path = Path.Combine(_dir, "console.txt");
        var r = Cli("run", "--serial", "file:" + path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("goodbye", File.ReadAllText(path));
        Assert.DoesNotContain("goodbye", r.Stdout);
    }

    [Theory]
    [InlineData("--memory", "12X", "--memory '12X': expected a size like 256M, 1G or a byte count")]
    [InlineData("--memory", "1M", "--memory '1M': must be a multiple of 4 KiB between 2M and 2047M")]
    [InlineData("--serial", "tcp:1", "--serial 'tcp:1': expected stdio, file:PATH or none")]
    [InlineData("--log-level", "loud", "--log-level 'loud': expected verbose, debug, information, warning, error or fatal")]
    [InlineData("--debugcon", "0xzz", "--debugcon '0xzz': '0xzz' is not a port number (0-65535, or 0x...)")]
    [InlineData("--debugcon", "0xe9,tcp:1", "--debugcon '0xe9,tcp:1': the destination must be file:PATH")]
    [InlineData("--bios", "/no/such/rom.bin", "--bios /no/such/rom.bin: no such file")]
    [InlineData("--floppy", "/no/such/a.img", "/no/such/a.img: the disk image does not exist")]
    [InlineData("--floppy", "a.img,ro", "--floppy a.img,ro: unknown option 'ro' (expected wp)")]
    public void BadOptionValues_GiveOneLineAndExitCode2(string option, string value, string message)
    {
        var r = Cli("run", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: {message}", r.Stderr.TrimEnd());
    }

    [Fact]
    public void BenchLinux_WithAMissingFile_OrNotABzImage_IsOneLineAndExitCode2()
    {
        string missing = Path.Combine(_dir, "vmlinuz");
        var r = Cli("bench", "--linux", missing, "--repeat", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: --linux {missing}: no such file", r.Stderr.TrimEnd());
        r = Cli("bench", "--linux", Repo.Guest("demo"), "--repeat", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: {Repo.Guest("demo")}: not a Linux bzImage (no \"HdrS\" setup header)", r.Stderr.TrimEnd());
        Assert.Equal("", r.Stdout);                                // nothing measured, no table started
    }

    [Theory]
    [InlineData("--minix|/m|--trace", "--trace is part of the bundled guests' measurement; it cannot be combined with --minix")]
    [InlineData("--linux|/l|--gdb", "--gdb is part of the bundled guests' measurement; it cannot be combined with --linux")]
    [InlineData("--reports|--guest|g.elf", "--guest is part of the bundled guests' measurement; it cannot be combined with --reports")]
    [InlineData("--minix|/m|--disk-boot|/d", "--minix and --disk-boot: bench measures one of them at a time")]
    [InlineData("--guest|g.elf|--trace", "--trace measures the tracer on its own guests (tracebench, tracesparse, allocbench); it cannot be combined with --guest g.elf")]
    [InlineData("--bios|rom.bin", "--bios rom.bin is for --disk-boot (the firmware boot of a MINIX disk)")]
    [InlineData("--initrd|i.cpio", "--initrd i.cpio is for --linux")]
    [InlineData("--linux|/l|--tier|check", "--tier check: not a tier to benchmark (it runs every compiled block twice); use interp or jit")]
    [InlineData("--disk-boot|/d|--tier|check", "--tier check: not a tier to benchmark (it runs every compiled block twice); use interp or jit")]
    [InlineData("--linux|/l|--tier|fast", "--tier fast: not a tier (interp, jit or check)")]
    public void Bench_OptionsItsMeasurementWouldNotUse_AreRefusedInOneLine(string args, string message)
    {
        var r = Cli(new[] { "bench" }.Concat(args.Split('|')).ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: {message}", r.Stderr.TrimEnd());
        Assert.Equal("", r.Stdout); // refused before anything was measured
    }

    [Fact]
    public void BenchGdb_MeasuresTheGuestGiven_ThroughTheSessionBuilder()
    {
        // --guest with --gdb used to be ignored by the stub's measurement, which always booted bench.elf.
        var r = Cli("bench", "--guest", Repo.Guest("demo"), "--gdb", "--repeat", "1", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("(demo.elf, client connected, no breakpoints)", r.Stdout);
        Assert.Contains("gdb single-step", r.Stdout);
        Assert.Contains("gdb stub listening on 127.0.0.1:", r.Stderr); // the stub the session builder starts for --gdb
    }

    [Fact]
    public void FloppyImage_OfTheWrongSize_OrTooMany_IsOneLineAndExitCode2()
    {
        string small = Path.Combine(_dir, "720k.img");
        File.WriteAllBytes(small, new byte[737280]);
        var r = Cli("run", "--floppy", small);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: {small}: the floppy image is 737280 bytes; a 1.44 MB image is 1474560 bytes", r.Stderr.TrimEnd());
        r = Cli("run", "--floppy", small, "--floppy", small, "--floppy", small);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("minix318emu: --floppy: a PC has two floppy drives, 3 images were given", r.Stderr.TrimEnd());
    }

    [Fact]
    public void MissingAndBrokenKernels_GiveOneLineAndExitCode2()
    {
        string missing = Path.Combine(_dir, "nope.elf");
        var r = Cli("run", "--kernel", missing);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"minix318emu: {missing}: cannot read the file", r.Stderr);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));

        string broken = Path.Combine(_dir, "broken.elf");
        File.WriteAllBytes(broken, File.ReadAllBytes(Repo.Guest("demo")).AsSpan(0, 200).ToArray());
        r = Cli("run", "--kernel", broken);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"minix318emu: {broken}: truncated or corrupt", r.Stderr);
    }

    [Fact]
    public void ASingleValueOptionGivenTwice_IsRefused_InOneLine()
    {
        string a = Path.Combine(_dir, "a.txt"), b = Path.Combine(_dir, "b.txt");
        var r = Cli("run", "--debugcon", $"0x402,file:{a}", "--debugcon", $"0xe9,file:{b}", "--serial", "none");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: --debugcon given twice ('0x402,file:{a}', then '0xe9,file:{b}'): it takes one value; give it once", r.Stderr.TrimEnd());
        Assert.False(File.Exists(a) || File.Exists(b));                    // refused before anything ran
        r = Cli("trace", "--memory=32M", "--memory", "64M");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("minix318emu: --memory given twice ('32M', then '64M')", r.Stderr);
        // Options that collect take every value.
        r = Cli("run", "--kernel", Repo.Guest("selfcheck"), "--serial", "none", "--expect", "a", "--send", "b", "--expect", "c", "--send", "d", "--max-instructions", "5000");
        Assert.Equal(8, r.ExitCode);
    }

    [Fact]
    public void InstructionLimit_ExitsWith8()
    {
        var r = Cli("run", "--kernel", Repo.Guest("bench"), "--max-instructions", "5000", "--serial", "none");
        Assert.Equal(8, r.ExitCode);
        Assert.Contains("instruction limit of 5000 reached", r.Stderr);
    }

    [Fact]
    public void Settings_ComeFromTheEnvironment_AndTheCommandLineWins()
    {
        var env = new Dictionary<string, string> { ["MINIX318EMU_Machine__Memory"] = "64M" };
        var r = CliWithEnv(env, "run");
        Assert.Contains("memory: 639 KiB low, 64512 KiB high", r.Stdout);
        r = CliWithEnv(env, "run", "--memory", "32M");
        Assert.Contains("memory: 639 KiB low, 31744 KiB high", r.Stdout);
    }

    [Fact]
    public void Settings_FromAConfigFile_AndABadValueThere()
    {
        string cfg = Path.Combine(_dir, "cfg.json");
        File.WriteAllText(cfg, """{ "Machine": { "Memory": "16M", "Append": "hello" } }""");
        var r = Cli("run", "--config", cfg);
        Assert.Contains("15360 KiB high", r.Stdout);
        File.WriteAllText(cfg, """{ "Machine": { "MaxInstructions": "lots" } }""");
        r = Cli("run", "--config", cfg);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("minix318emu: configuration", r.Stderr);
        Assert.Single(r.Stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("""{ "Machine": { "Memory": null } }""", "minix318emu: configuration Machine:Memory: null is not a value here (leave the setting out for its default)")]
    [InlineData("""{ "Machine": { "Disks": [ null ] } }""", "minix318emu: configuration Machine:Disks: an entry is null")]
    public void Settings_ANullInAConfigFile_IsOneLine(string json, string message)
    {
        // Found by the configuration fuzzer (issue 18): "Memory": null ended in a NullReferenceException.
        string cfg = Path.Combine(_dir, "null.json");
        File.WriteAllText(cfg, json);
        var r = Cli("run", "--config", cfg);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(message, r.Stderr.TrimEnd());
    }

    [Theory]
    [InlineData(new[] { "--gdb", "1.2.3.4.5:1" }, "--gdb '1.2.3.4.5:1': '1.2.3.4.5' is not an IP address")]
    [InlineData(new[] { "--gdb", "99999" }, "--gdb '99999': expected [HOST:]PORT with a port from 0 to 65535")]
    [InlineData(new[] { "--gdb-wait" }, "--gdb-wait needs --gdb [HOST:]PORT (or -s)")]
    public void BadGdbOptions_GiveOneLineAndExitCode2(string[] args, string message)
    {
        var r = Cli(new[] { "run" }.Concat(args).ToArray());
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: {message}", r.Stderr.TrimEnd());
    }

    [Fact]
    public void UnknownVerb_IsAUsageError()
    {
        var r = Cli("frobnicate");
        Assert.Equal(2, r.ExitCode);
    }
}
