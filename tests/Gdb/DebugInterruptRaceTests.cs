using Iced.Intel;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Cpu;
using static Iced.Intel.AssemblerRegisters;

namespace Minix318Emu.Tests.Gdb;

/// <summary>
/// A debugger interrupt (gdb's Ctrl-C, or the one a client sends as it attaches) that arrives
/// while the machine is still handing a stop to the debugger must not be lost: the machine stops
/// again for it after it resumes. Before the fix the run loop cleared the request after the
/// debugger answered, so a client attaching just after another detached waited forever.
/// Scripted debuggers on a guest spinning in a loop; the run is bounded by an instruction limit.
/// </summary>
public sealed class DebugInterruptRaceTests
{
    /// <summary>Answers a fixed list of actions; before answering stop <c>i</c> it may interrupt the machine, as a second thread would.</summary>
    private sealed class ScriptedDebugger(PcMachine machine, DebugAction[] answers, int interruptDuringStop) : IDebugger
    {
        public List<DebugStopKind> Stops { get; } = [];

        public DebugAction OnStop(DebugStop stop)
        {
            Stops.Add(stop.Kind);
            if (Stops.Count - 1 == interruptDuringStop)
            {
                machine.DebugInterrupt(); // arrives while this stop is being handled
            }
            return Stops.Count <= answers.Length ? answers[Stops.Count - 1] : DebugAction.Kill;
        }

        public void OnExit(RunResult result)
        {
        }

        public bool IsBreakpoint(uint linear) => false;
    }

    private static CpuHarness SpinningGuest()
    {
        var h = new CpuHarness();
        h.Code(c =>
        {
            Label top = c.CreateLabel();
            c.Label(ref top);
            c.inc(eax);
            c.jmp(top);
        });
        return h;
    }

    [Theory]
    [InlineData(DebugAction.Detach)]
    [InlineData(DebugAction.Continue)]
    public void InterruptArrivingWhileAStopIsAnswered_StopsAgainAfterTheResume(DebugAction answer)
    {
        CpuHarness h = SpinningGuest();
        var debugger = new ScriptedDebugger(h.Machine, [answer], interruptDuringStop: 0);
        h.Machine.Debugger = debugger;
        h.Machine.WaitForDebuggerAtStart = true;

        RunResult result = h.Machine.Run(new RunLimits { MaxInstructions = 1_000_000 });

        Assert.Equal([DebugStopKind.Initial, DebugStopKind.Interrupted], debugger.Stops);
        Assert.Equal(StopReason.Interrupted, result.Reason); // the scripted debugger kills at the second stop
        Assert.True(result.Instructions < 1000, $"the second stop came after {result.Instructions} instructions, not at once");
    }

    [Fact]
    public void InterruptDuringAStep_IsReportedAtTheNextStop()
    {
        CpuHarness h = SpinningGuest();
        var debugger = new ScriptedDebugger(h.Machine, [DebugAction.Step, DebugAction.Continue], interruptDuringStop: 1);
        h.Machine.Debugger = debugger;
        h.Machine.WaitForDebuggerAtStart = true;

        h.Machine.Run(new RunLimits { MaxInstructions = 1_000_000 });

        Assert.Equal([DebugStopKind.Initial, DebugStopKind.Step, DebugStopKind.Interrupted], debugger.Stops);
    }
}
