using System.Globalization;
using System.Text.RegularExpressions;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Cli;

/// <summary>
/// `bench`'s qemu rows: with the real QEMU, the row's shape (a positive time net of QEMU's
/// start-up and a ratio per tier); and, with a stand-in "QEMU" script whose runs are what the
/// test says, that a guest QEMU runs differently is an error naming it, that a clock-paced guest
/// gets no time, and that --qemu none or a missing --qemu are honoured. Timing is never asserted.
/// </summary>
public sealed partial class BenchQemuCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-benchqemu-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(5));

    [SkippableFact]
    public void BenchGuest_HasAQemuRow_WithItsNetTimeAndARatioPerTier()
    {
        Skip.If(Repo.Which("qemu-system-i386") is null, "qemu-system-i386 is not installed (.ci/run installs it)");
        var r = Cli("bench", "--guest", Repo.Guest("bench"), "--repeat", "1");
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Stderr}");
        Assert.Equal("", r.Stderr);
        string[] lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.EndsWith("(median of 1, after 1 warm-up; qemu: net of QEMU's start-up)", lines[0]);
        Assert.Matches(@"^qemu +\S*qemu-system-i386 -accel tcg: median wall time less QEMU's start-up", lines[1]);
        Assert.Single(lines, l => l.StartsWith("bench.elf        interp ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("bench.elf        jit ", StringComparison.Ordinal));
        Match row = lines.Select(l => QemuRow().Match(l)).Single(m => m.Success);
        double net = double.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture);
        if (row.Groups[2].Success)
        {
            Assert.True(net > 0, row.Value);
            Assert.True(double.Parse(row.Groups[2].Value, CultureInfo.InvariantCulture) > 0, row.Value);
            Assert.True(double.Parse(row.Groups[3].Value, CultureInfo.InvariantCulture) > 0, row.Value);
        }
        else
        {
            // QEMU runs bench.elf in ~0.03 s and starts in ~0.05 s: on a loaded machine (the suite runs
            // in parallel) the median guest run can come out no slower than the start-up runs.
            Assert.True(net <= 0, row.Value);
        }
        // The net time is the wall time less the start-up, as the row says.
        double wall = double.Parse(row.Groups[4].Value, CultureInfo.InvariantCulture), start = double.Parse(row.Groups[5].Value, CultureInfo.InvariantCulture);
        Assert.InRange(net, wall - start - 0.0002, wall - start + 0.0002);
    }

    [Fact]
    public void QemuNone_LeavesTheQemuRowsOut()
    {
        // One tier is enough to show the row is gone and keeps the test short.
        var r = Cli("bench", "--guest", Repo.Guest("bench"), "--repeat", "1", "--tier", "jit", "--qemu", "none");
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        string[] lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("qemu             not measured (--qemu none)", lines[1]);
        Assert.Single(lines, l => l.StartsWith("bench.elf        jit ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" qemu ", StringComparison.Ordinal) || l.Contains("/QEMU", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingQemu_IsOneLineAndExitCode2_BeforeAnyRun()
    {
        string qemu = Path.Combine(_dir, "qemu-system-i386");
        var r = Cli("bench", "--guest", Repo.Guest("bench"), "--repeat", "1", "--qemu", qemu);
        Assert.Equal((2, $"minix318emu: --qemu {qemu}: no such file\n", ""), (r.ExitCode, r.Stderr, r.Stdout));
    }

    [Fact]
    public void AGuestQemuRunsDifferently_IsAnErrorNamingIt_AndFailsTheCommand()
    {
        string qemu = FakeQemu("bench: start\r\nbench checksum: 0xdeadbeef\r\n", exitCode: 1);
        var r = Cli("bench", "--guest", Repo.Guest("bench"), "--repeat", "1", "--tier", "jit", "--qemu", qemu);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("minix318emu: bench.elf under QEMU: QEMU's serial output differs from the emulator's (--tier jit) at line 2: QEMU \"bench checksum: 0xdeadbeef\", the emulator \"bench checksum: 0xb3e53ed7\"\n", r.Stderr);
        Assert.Contains("bench.elf        qemu   no time: QEMU did not run it as the emulator did (see the error)\n", r.Stdout);

        // The same output with another exit status is as wrong, and the guest's own lines are not enough.
        qemu = FakeQemu("bench: start\r\nbench checksum: 0xb3e53ed7\r\n", exitCode: 3);
        r = Cli("bench", "--guest", Repo.Guest("bench"), "--repeat", "1", "--tier", "jit", "--qemu", qemu);
        Assert.Equal((1, "minix318emu: bench.elf under QEMU: QEMU exited with code 3, the emulator (--tier jit) with 1\n"), (r.ExitCode, r.Stderr));
    }

    [Fact]
    public void AStandInQemuThatAgrees_GivesARow()
    {
        // The emulator's own output back, with QEMU's smaller upper memory and a board: line it may
        // print: both are differences the comparison leaves out (as the QEMU cross-check tests do).
        string qemu = FakeQemu("minix318emu demo guest\r\nboard: firmware tables\r\nmemory: 639 KiB low, 260992 KiB high\r\nmodules: 0\r\nfib checksum: 0x6f9e0f59\r\ngoodbye\r\n", exitCode: 1, sleepSeconds: "0.3");
        var r = Cli("bench", "--guest", Repo.Guest("demo"), "--repeat", "1", "--tier", "jit", "--qemu", qemu);
        Assert.True(r.ExitCode == 0, $"exit code {r.ExitCode}: {r.Stderr}");
        string row = r.Stdout.Split('\n').Single(l => l.StartsWith("demo.elf         qemu", StringComparison.Ordinal));
        Assert.Matches(@"^demo\.elf +qemu +\d+\.\d{4} +jit/QEMU \d+\.\d\d(; | \(less)", row); // the one tier measured, and no other
    }

    [Fact]
    public void AClockPacedGuest_IsCheckedButGivenNoTime()
    {
        // irqbench computes until 20 000 PIT ticks: under QEMU those come in real time, so its
        // "timing:" line (iterations done) differs and its wall time is not a speed.
        // Its last tick can also land between the loop's test and its CLI (20 001 ticks, seen under
        // QEMU): the values of such a guest's lines are not compared, their labels are.
        string qemu = FakeQemu("irqbench: start\r\nirqbench ticks: 0x00004e21\r\ntiming: irqbench iterations 16624179\r\n", exitCode: 1);
        var r = Cli("bench", "--guest", Repo.Guest("irqbench"), "--repeat", "1", "--tier", "jit", "--qemu", qemu);
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        Assert.Matches(@"\nirqbench\.elf +qemu +no time: its work is paced by its clocks \(""timing:"" lines\), which QEMU runs in real time, so QEMU does not do the same work \(it took \d+\.\d\d s\); same exit status and output lines, values aside\n", r.Stdout);

        // A line missing is still a difference.
        qemu = FakeQemu("irqbench: start\r\ntiming: irqbench iterations 16624179\r\n", exitCode: 1);
        r = Cli("bench", "--guest", Repo.Guest("irqbench"), "--repeat", "1", "--tier", "jit", "--qemu", qemu);
        Assert.Equal((1, "minix318emu: irqbench.elf under QEMU: QEMU's serial output differs from the emulator's (--tier jit) at line 2: QEMU (no more output), the emulator \"irqbench ticks:\"\n"), (r.ExitCode, r.Stderr));
    }

    /// <summary>
    /// A script standing in for qemu-system-i386: the start-up guest (slowpath.elf naming no loop)
    /// gets its real output and exit status; any other kernel gets <paramref name="serial"/> and
    /// <paramref name="exitCode"/>, after <paramref name="sleepSeconds"/>.
    /// </summary>
    private string FakeQemu(string serial, int exitCode, string sleepSeconds = "0")
    {
        string output = Path.Combine(_dir, $"out-{Guid.NewGuid():N}.txt");
        File.WriteAllText(output, serial);
        string script = Path.Combine(_dir, $"qemu-{Guid.NewGuid():N}");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            serial=; kernel=
            while [ $# -gt 0 ]; do
              case "$1" in
                -serial) serial=${2#file:}; shift ;;
                -kernel) kernel=$2; shift ;;
              esac
              shift
            done
            case "$kernel" in
              */slowpath.elf) printf 'slowpath: name a loop: cpuid, pmtimer, pause, cr, cr2\r\n' > "$serial"; exit 3 ;;
            esac
            sleep {{sleepSeconds}}
            cat '{{output}}' > "$serial"
            exit {{exitCode}}
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return script;
    }

    [GeneratedRegex(@"^bench\.elf +qemu +(-?\d+\.\d{4}) +(?:interp/QEMU (\d+\.\d\d), jit/QEMU (\d+\.\d\d)(?: \(less than the start-up runs' spread: rough\))?|no ratio: not above QEMU's start-up); wall (\d+\.\d{4}) s less start-up (\d+\.\d{4}) s$")]
    private static partial Regex QemuRow();
}
