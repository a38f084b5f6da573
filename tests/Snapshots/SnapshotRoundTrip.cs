using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Tests.Snapshots;

/// <summary>
/// The snapshot property: a guest run straight to its end, and the same guest run halfway, saved,
/// loaded into a freshly built machine and run on, give the same console output, the same way of
/// ending and the same final machine, compared section by section (registers, RAM, every device,
/// the clock and its queue, the disk overlays).
/// </summary>
internal static class SnapshotRoundTrip
{
    public sealed record Result(string Serial, RunResult Straight, RunResult First, RunResult Second, ulong SplitAt, long StateBytes);

    /// <summary>Runs the property with <paramref name="boot"/> building each machine (three are built).</summary>
    public static Result Check(string dir, Func<ISerialSink, BootedPc> boot, ulong maxInstructions = 2_000_000_000, ulong? splitAt = null)
    {
        var straightSink = new MemorySerialSink();
        BootedPc a = boot(straightSink);
        RunResult straight = a.Machine.Run(new RunLimits(maxInstructions));
        string straightEnd = Path.Combine(dir, "straight-end.state");
        a.Board.SaveState(straightEnd);
        a.Board.Dispose();

        ulong split = splitAt ?? straight.Instructions / 2;
        var firstSink = new MemorySerialSink();
        BootedPc b = boot(firstSink);
        RunResult first = b.Machine.Run(new RunLimits(split));
        Assert.Equal(StopReason.LimitReached, first.Reason);
        string middle = Path.Combine(dir, "middle.state");
        long bytes = b.Board.SaveState(middle);
        b.Board.Dispose();

        var secondSink = new MemorySerialSink();
        BootedPc c = boot(secondSink);
        c.Board.LoadState(StateFile.Read(middle));
        Assert.Equal(split, c.Machine.Cpu.InstructionCount);
        RunResult second = c.Machine.Run(new RunLimits(maxInstructions - split));
        string resumedEnd = Path.Combine(dir, "resumed-end.state");
        c.Board.SaveState(resumedEnd);
        c.Board.Dispose();

        Assert.Equal(straightSink.Text, firstSink.Text + secondSink.Text);
        Assert.Equal(straight.Reason, second.Reason);
        Assert.Equal(straight.ExitCode, second.ExitCode);
        Assert.Equal(straight.Instructions, first.Instructions + second.Instructions);
        AssertSameMachine(StateFile.Read(straightEnd), StateFile.Read(resumedEnd));
        return new Result(straightSink.Text, straight, first, second, split, bytes);
    }

    /// <summary>Every section equal, naming the first one that differs and where.</summary>
    public static void AssertSameMachine(StateFile expected, StateFile actual)
    {
        Assert.Equal(expected.SectionIds, actual.SectionIds);
        foreach (string id in expected.SectionIds)
        {
            byte[] e = expected.SectionBytes(id), a = actual.SectionBytes(id);
            int at = e.AsSpan().CommonPrefixLength(a);
            Assert.True(at == e.Length && at == a.Length, $"section {id} differs at byte {at} of {e.Length} (resumed: {a.Length} bytes)");
        }
    }
}
