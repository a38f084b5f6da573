using Minix318Emu.Cli.Progress;
using Minix318Emu.Emulator.Machine;
using Spectre.Console.Testing;

namespace Minix318Emu.Tests.Cli;

/// <summary>The live status line's text and drawing, and the final summary table, rendered on Spectre's test console.</summary>
public sealed class StatusLineTests
{
    [Fact]
    public void StatusText_ShowsGuestTimeInstructions_TheSpeedOverTheLastInterval_CallsAndTraceBytes()
    {
        var text = new StatusText();
        Assert.Equal("guest 0.500 s  50.0 M instr  100.0 MIPS  1,234 calls  trace 64.0 KiB  0:00",
            text.Next(new RunCounters(500_000_000, 50_000_000, 1234, 65536), TimeSpan.FromSeconds(0.5)));
        // 10 M more instructions in the next second: 10 MIPS now, whatever the average.
        Assert.Equal("guest 0.600 s  60.0 M instr  10.0 MIPS  0:01", text.Next(new RunCounters(600_000_000, 60_000_000), TimeSpan.FromSeconds(1.5)));
        Assert.Equal("3.5 MiB", StatusText.Bytes(3 * 1048576 + 524288));
        Assert.Equal("1:02:03", StatusText.Clock(new TimeSpan(1, 2, 3)));
    }

    [Fact]
    public void StatusLine_DrawsTheLineFromItsOwnThread_CutToTheTerminal_AndClearsIt()
    {
        var console = new TestConsole().Width(40).Interactive().EmitAnsiSequences();
        long reads = 0;
        using (var line = new StatusLine(console, _ => $"guest {Interlocked.Increment(ref reads)} s  " + new string('x', 60), TimeSpan.FromMilliseconds(10)))
        {
            SpinWait.SpinUntil(() => Interlocked.Read(ref reads) >= 3, TimeSpan.FromSeconds(30));
        }
        string output = console.Output;
        Assert.True(output.Contains("guest 1 s  x", StringComparison.Ordinal), output.Replace("\u001b", "ESC"));
        Assert.Contains("guest 1 s  xxxxxxxxxxxxxxxxxxxxxxxxxxx…", output);   // 39 columns: one row of a 40-column terminal
        Assert.Contains("guest 3 s  ", output);                                   // redrawn from the timer
        Assert.DoesNotContain("guest 1 s  " + new string('x', 29), output);
        Assert.EndsWith("\u001b[2K\u001b[?25h", output);                          // cleared at the end, the cursor shown again
    }

    [Fact]
    public void SummaryTable_HasTheRunsFigures()
    {
        var console = new TestConsole().Width(100);
        var result = new RunResult(StopReason.GuestExit, 1, "guest exit with value 0", 91_317_834, TimeSpan.FromSeconds(4.5));
        console.Write(RunSummaryTable.Build(result, new RunCounters(913_178_340, 91_317_834, 50_008, 2_684_212), [("trace", "out/trace.m318")]));
        string[] lines = console.Output.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Contains("│ ended        │ GuestExit: guest exit with value 0 │", lines);
        Assert.Contains("│ guest time   │ 0.913178 s                         │", lines);
        Assert.Contains("│ instructions │ 91,317,834                         │", lines);
        Assert.Contains("│ speed        │ 20.3 MIPS                          │", lines);
        Assert.Contains("│ traced calls │ 50,008                             │", lines);
        Assert.Contains("│ trace bytes  │ 2,684,212 (2.6 MiB)                │", lines);
        Assert.Contains("│ trace        │ out/trace.m318                     │", lines);
    }
}
