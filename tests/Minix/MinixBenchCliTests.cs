using System.Text.RegularExpressions;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Minix;

/// <summary>
/// `bench --minix DIR`: the table's shape (rows, equal instruction counts for run and trace,
/// identical traces, the QEMU row when QEMU is installed, the event counts) and its one-line
/// errors. Timing itself is never asserted.
/// </summary>
public sealed partial class MinixBenchCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-minixbench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(10));

    [Fact]
    public void BadDirectories_AreOneLineAndExitCode2()
    {
        string missing = Path.Combine(_dir, "nope");
        var r = Cli("bench", "--minix", missing, "--repeat", "1");
        Assert.Equal((2, $"minix318emu: {missing}: no such directory (expected a MINIX distribution: kernel, mod01_* ..., cmdline.txt, disk.img[.gz])\n", ""), (r.ExitCode, r.Stderr, r.Stdout));

        File.WriteAllBytes(Path.Combine(_dir, "kernel"), new byte[16]);
        r = Cli("bench", "--minix", _dir, "--repeat", "1");
        Assert.Equal((2, $"minix318emu: {_dir}: no boot modules (mod01_* ...) in the MINIX distribution directory\n", ""), (r.ExitCode, r.Stderr, r.Stdout));

        r = Cli("bench", "--minix", _dir, "--repeat", "0");
        Assert.Equal((2, "minix318emu: --repeat 0: must be at least 1\n"), (r.ExitCode, r.Stderr));
    }

    [SkippableFact]
    public void AMissingQemu_IsOneLineAndExitCode2_BeforeAnyBoot()
    {
        MinixDistribution d = RealMinix.Require();
        string qemu = Path.Combine(_dir, "qemu-system-i386");
        var r = Cli("bench", "--minix", d.Directory, "--qemu", qemu, "--repeat", "1");
        Assert.Equal((2, $"minix318emu: --qemu {qemu}: no such file\n", ""), (r.ExitCode, r.Stderr, r.Stdout));
    }

    [SkippableFact]
    public void TheTable_HasRunTraceQemuAndTheEventCounts()
    {
        MinixDistribution d = RealMinix.Require();
        var r = Cli("bench", "--minix", d.Directory, "--repeat", "1");
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Stderr}");
        Assert.Equal("", r.Stderr);
        string[] lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("MINIX boot to login:     instructions  guest s   wall s     min     max   run s    MIPS   CPU s  (--tier jit; medians of 1", lines[0]); // the command line's default tier
        Match run = Row().Match(lines[1]), trace = Row().Match(lines[2]);
        Assert.True(run.Success && run.Groups[1].Value == "run", lines[1]);
        Assert.True(trace.Success && trace.Groups[1].Value == "trace --profile minix3", lines[2]);
        Assert.Equal(run.Groups[2].Value, trace.Groups[2].Value);               // the tracer changes no guest instruction
        Assert.Equal(run.Groups[3].Value, trace.Groups[3].Value);               // nor guest time
        Assert.InRange(long.Parse(run.Groups[2].Value), 200_000_000, 600_000_000);
        Assert.Matches(@"^trace against run: [+-]\d+\.\d% run time, \d+ allocator calls; same instructions: yes; traces byte-identical: yes \(1 traces\)$", lines[3]);
        if (Repo.Which("qemu-system-i386") is null)
        {
            Assert.Equal("qemu-system-i386         not measured (not on PATH)", lines[4]);
        }
        else
        {
            Assert.Matches(@"^qemu-system-i386 \(TCG\) +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3}  \(.*qemu-system-i386\)$", lines[4]);
            Assert.Matches(@"^emulator / QEMU wall time: run \d+\.\d\d, trace \d+\.\d\d$", lines[5]);
        }
        int events = Array.IndexOf(lines, "events of one boot to login: (per million instructions):");
        Assert.True(events > 0, r.Stdout);
        Assert.Matches(@"^  blocks run \d+ \(\d+\.\d instructions each\), chained \d+", lines[events + 1]);
        Assert.Matches(@"^  CR3 loads [1-9]\d* ", lines[events + 3]);                  // MINIX switches address spaces
        Assert.Matches(@"HLT [1-9]\d*, idle guest time skipped \d+\.\d{3} s$", lines[events + 5]);
    }

    [GeneratedRegex(@"^(run|trace --profile minix3) +(\d+) +(\d+\.\d{3}) +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d +\d+\.\d{3}$")]
    private static partial Regex Row();
}
