using System.Net;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Gdb;

/// <summary>A guest running on a background thread with the GDB stub on an ephemeral loopback port.</summary>
internal sealed class GdbFixture : IDisposable
{
    private readonly MemorySerialSink _sink = new();

    public GdbFixture(string guest = "gdbtarget", bool waitAtStart = true)
        : this(sink => MachineFactory.Boot(Repo.Guest(guest), "", Array.Empty<ModuleSpec>(), 64u << 20, sink), waitAtStart)
    {
    }

    /// <summary>A machine <paramref name="boot"/> builds with the fixture's serial sink (a firmware boot, say).</summary>
    public GdbFixture(Func<ISerialSink, BootedPc> boot, bool waitAtStart = true)
    {
        Pc = boot(_sink);
        Server = new GdbServer(Pc.Machine, new IPEndPoint(IPAddress.Loopback, 0));
        Pc.Machine.WaitForDebuggerAtStart = waitAtStart;
        Run = Task.Factory.StartNew(() => Pc.Machine.Run(new RunLimits(50_000_000_000, TimeSpan.FromSeconds(120))), TaskCreationOptions.LongRunning);
    }

    public BootedPc Pc { get; }

    public GdbServer Server { get; }

    public Task<RunResult> Run { get; }

    public int Port => Server.Port;

    public string Serial => _sink.Text;

    public void Dispose()
    {
        Pc.Machine.Interrupt();
        Server.Dispose();
        Run.Wait(TimeSpan.FromSeconds(30));
    }
}
