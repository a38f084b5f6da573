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
        var (serial, legs, bytes) = RunInLegs(dir, boot, maxInstructions, [split]);
        string resumedEnd = Path.Combine(dir, "resumed-end.state");
        Assert.Equal(straightSink.Text, serial);
        Assert.Equal(straight.Reason, legs[^1].Reason);
        Assert.Equal(straight.ExitCode, legs[^1].ExitCode);
        Assert.Equal(straight.Instructions, legs[0].Instructions + legs[1].Instructions);
        AssertSameMachine(StateFile.Read(straightEnd), StateFile.Read(resumedEnd));
        return new Result(straightSink.Text, straight, legs[0], legs[1], split, bytes[0]);
    }

    /// <summary>
    /// The same property with the resumed run cut at every one of <paramref name="splits"/>
    /// (increasing instruction counts): each leg runs on a freshly built machine loaded from the
    /// state the previous leg saved, so one test covers several moments of a boot (a firmware's
    /// POST and the kernel it boots) for the price of two runs. Returns the straight run's console.
    /// </summary>
    public static string CheckChain(string dir, Func<ISerialSink, BootedPc> boot, ulong maxInstructions, params ulong[] splits)
    {
        var straightSink = new MemorySerialSink();
        BootedPc a = boot(straightSink);
        RunResult straight = a.Machine.Run(new RunLimits(maxInstructions));
        string straightEnd = Path.Combine(dir, "straight-end.state");
        a.Board.SaveState(straightEnd);
        a.Board.Dispose();

        var (serial, legs, _) = RunInLegs(dir, boot, maxInstructions, splits);
        Assert.Equal(straightSink.Text, serial);
        Assert.Equal(straight.Reason, legs[^1].Reason);
        Assert.Equal(straight.ExitCode, legs[^1].ExitCode);
        Assert.Equal(straight.Instructions, legs.Aggregate(0UL, (n, l) => n + l.Instructions));
        AssertSameMachine(StateFile.Read(straightEnd), StateFile.Read(Path.Combine(dir, "resumed-end.state")));
        return straightSink.Text;
    }

    /// <summary>Runs to each split, saving there and loading into a new machine, then to the end; saves the end as resumed-end.state.</summary>
    private static (string Serial, List<RunResult> Legs, List<long> StateBytes) RunInLegs(string dir, Func<ISerialSink, BootedPc> boot, ulong maxInstructions, ulong[] splits)
    {
        var serial = new System.Text.StringBuilder();
        var legs = new List<RunResult>();
        var bytes = new List<long>();
        string? state = null;
        ulong done = 0;
        foreach (ulong end in splits.Append(maxInstructions))
        {
            Assert.True(end > done, $"split points must increase: {end} after {done}");
            var sink = new MemorySerialSink();
            BootedPc pc = boot(sink);
            if (state is not null)
            {
                pc.Board.LoadState(StateFile.Read(state));
                Assert.Equal(done, pc.Machine.Cpu.InstructionCount);
            }
            RunResult leg = pc.Machine.Run(new RunLimits(end - done));
            legs.Add(leg);
            serial.Append(sink.Text);
            bool last = end == maxInstructions;
            if (!last)
            {
                Assert.True(leg.Reason == StopReason.LimitReached, $"the run ended before the split at {end}: {leg.Reason} {leg.Message}");
            }
            state = Path.Combine(dir, last ? "resumed-end.state" : $"split-{end}.state");
            bytes.Add(pc.Board.SaveState(state));
            pc.Board.Dispose();
            done = end;
        }
        return (serial.ToString(), legs, bytes);
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
