using System.Net;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Elf;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Gdb;

/// <summary>
/// The GDB stub across a session's life: a client that detaches and comes back is consulted
/// again, and an interrupt byte sent while the guest is stopped stops it right after the resume.
/// </summary>
public sealed class GdbSessionLifecycleTests
{
    private static uint Symbol(string name) => ElfFile.Load(Repo.Guest("gdbtarget")).FindSymbol(name)!.Value;

    [Fact]
    public void ClientReconnectingAfterADetach_StopsTheGuestAndHitsItsBreakpoints()
    {
        using var f = new GdbFixture();
        using (var first = new RawClient(f.Port))
        {
            Assert.StartsWith("T05", first.Ask("?"));
            Assert.Equal("OK", first.Ask("D"));
        }
        // The guest runs on into its spin loop; a second client attaches to it.
        using var second = new RawClient(f.Port);
        Assert.StartsWith("T02", second.Ask("?"));                  // attaching stops the running guest
        uint release = Symbol("release"), puts = Symbol("puts");
        Assert.Equal("OK", second.Ask($"M{release:x},4:01000000"));
        Assert.Equal("OK", second.Ask($"Z0,{puts:x},1"));
        second.Send("c");
        Assert.Equal('+', second.ReadByte());
        Assert.Equal("T05swbreak:;thread:01;", second.ReadPacket());  // "gdbtarget: released" starts with puts
        second.SendRaw("+");
        Assert.Equal($"{puts & 0xFF:x2}{(puts >> 8) & 0xFF:x2}{(puts >> 16) & 0xFF:x2}00", second.Ask("p8"));
    }

    [Fact]
    public void InterruptByte_SentWhileStopped_StopsTheGuestRightAfterTheResume()
    {
        using var f = new GdbFixture();
        using var c = new RawClient(f.Port);
        Assert.StartsWith("T05", c.Ask("?"));
        c.SendRaw("\u0003");                                         // the user's Ctrl-C, racing the continue
        c.Send("c");
        Assert.Equal('+', c.ReadByte());
        Assert.Equal("T02thread:01;", c.ReadPacket());               // not left running until some breakpoint
        c.SendRaw("+");
        Assert.DoesNotContain("gdbtarget result", f.Serial);         // stopped long before the guest's work was done
    }

    [Fact]
    public void ClientLeavingWhileTheGuestRuns_TakesItsWatchpointWithIt()
    {
        // A client sets a write watchpoint on the counter the guest's spin loop increments,
        // continues, and disconnects without detaching. The watchpoint used to stay armed: the
        // guest stopped at it with nobody attached and waited there forever.
        using var f = new GdbFixture();
        using (var c = new RawClient(f.Port))
        {
            Assert.StartsWith("T05", c.Ask("?"));
            c.Send("c");
            Assert.Equal('+', c.ReadByte());
            Assert.True(SpinWait.SpinUntil(() => f.Serial.Contains("gdbtarget result"), TimeSpan.FromSeconds(10)), "the guest never reached its spin loop");
            c.SendRaw("\u0003");
            Assert.Equal("T02thread:01;", c.ReadPacket());
            c.SendRaw("+");
            Assert.Equal("OK", c.Ask($"Z2,{Symbol("counter"):x},4"));
            c.Send("c");
            Assert.Equal('+', c.ReadByte());
        } // gone: the guest's next increment hits the watchpoint
        Assert.True(SpinWait.SpinUntil(() => !f.Server.Session.Attached, TimeSpan.FromSeconds(10)), "the stub never noticed the client leave");
        ulong at = f.Pc.Machine.Cpu.InstructionCount;
        Assert.True(SpinWait.SpinUntil(() => f.Pc.Machine.Cpu.InstructionCount > at + 10_000_000, TimeSpan.FromSeconds(20)),
            $"the guest stopped at the departed client's watchpoint (EIP {f.Pc.Machine.Cpu.Eip:X8}, {f.Pc.Machine.Cpu.InstructionCount - at} instructions since)");
    }

    /// <summary>Holds the machine at its first stop, before the session sees it, until the test lets it go.</summary>
    private sealed class GateDebugger(IDebugger inner) : IDebugger
    {
        private int _stops;

        public ManualResetEventSlim Arrived { get; } = new();

        public ManualResetEventSlim Go { get; } = new();

        public DebugAction OnStop(DebugStop stop)
        {
            if (_stops++ == 0)
            {
                Arrived.Set();
                Go.Wait(TimeSpan.FromSeconds(30));
            }
            return inner.OnStop(stop);
        }

        public void OnExit(RunResult result) => inner.OnExit(result);

        public bool IsBreakpoint(uint linear) => inner.IsBreakpoint(linear);
    }

    [Fact]
    public void Attaching_AsTheMachineReachesAStop_GetsThatStop_AndContinueRunsToTheEnd()
    {
        // The race bench --gdb lost about one run in ten to under load: the client's '?' came
        // after the machine had begun its stop but before the session had marked itself stopped,
        // so '?' asked for an interrupt that the stop then answered, and the interrupt stopped the
        // guest again right after the client's 'c': a T02 the client never asked for, while it
        // waited for the run to end. The gate puts '?' exactly in that window.
        var sink = new MemorySerialSink();
        BootedPc pc = MachineFactory.Boot(Repo.Guest("gdbtarget"), "", Array.Empty<ModuleSpec>(), 64u << 20, sink);
        using var server = new GdbServer(pc.Machine, new IPEndPoint(IPAddress.Loopback, 0));
        pc.Machine.WaitForDebuggerAtStart = true;
        using var client = new RawClient(server.Port);
        Assert.True(SpinWait.SpinUntil(() => server.Session.Attached, TimeSpan.FromSeconds(10)), "the stub never took the client");
        var gate = new GateDebugger(server.Session);
        pc.Machine.Debugger = gate;
        var run = new Thread(() => pc.Machine.Run(new RunLimits(5_000_000_000, TimeSpan.FromSeconds(60)))) { IsBackground = true };
        run.Start();
        try
        {
            Assert.True(gate.Arrived.Wait(TimeSpan.FromSeconds(10)), "the machine never stopped at its start");
            client.Send("?");
            Assert.True(SpinWait.SpinUntil(() => pc.Machine.Cpu.StopRequested, TimeSpan.FromSeconds(10)), "'?' did not ask the running machine to stop");
            gate.Go.Set();
            Assert.Equal('+', client.ReadByte());
            Assert.Equal("T05thread:01;", client.ReadPacket());           // the stop the machine was reaching answers '?'
            client.SendRaw("+");
            Assert.Equal("OK", client.Ask($"M{Symbol("release"):x},4:01000000"));
            client.Send("c");
            Assert.Equal('+', client.ReadByte());
            Assert.Equal("W01", client.ReadPacket());                     // no second stop: the guest ran to its end (exit device value 0: (0 << 1) | 1)
            Assert.Contains("gdbtarget: released", sink.Text);
        }
        finally
        {
            gate.Go.Set();
            pc.Machine.Interrupt();
            run.Join(TimeSpan.FromSeconds(30));
        }
    }
}
