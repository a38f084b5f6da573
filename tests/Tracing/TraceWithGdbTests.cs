using System.Net;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;
using Minix318Emu.Tracing.Tracer;

namespace Minix318Emu.Tests.Tracing;

/// <summary>
/// The tracer and gdb on the same addresses, through the CPU's one hook registry: a breakpoint
/// set on a traced function and then deleted leaves the function traced.
/// </summary>
public sealed class TraceWithGdbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-tgdb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (long Calls, RunResult Result) Trace(bool breakOnKalloc)
    {
        string kernel = Repo.Guest("minix318");
        string[] progs = { Repo.Guest("prog_a"), Repo.Guest("prog_b") };
        BootedPc pc = MachineFactory.Boot(kernel, "", progs.Select(p => new ModuleSpec(p, p)).ToList(), 64u << 20, new MemorySerialSink());
        var images = new List<TracedImage> { TracedImage.Load(kernel, ImageScope.Kernel) };
        images.AddRange(progs.Select(p => TracedImage.Load(p, ImageScope.User)));
        AllocatorProfile profile = AllocatorProfile.Load("minix318");
        using var writer = new TraceWriter(Path.Combine(_dir, $"t{breakOnKalloc}.m318"), TraceHeader.For(profile.Name, images, PcMachine.DefaultTicksPerSecond));
        using var tracer = new AllocationTracer(pc.Machine, profile, images, writer);
        if (!breakOnKalloc)
        {
            RunResult plain = pc.Machine.Run(new RunLimits(2_000_000_000));
            return (tracer.Calls, plain);
        }
        using var server = new GdbServer(pc.Machine, new IPEndPoint(IPAddress.Loopback, 0));
        pc.Machine.WaitForDebuggerAtStart = true;
        var run = Task.Factory.StartNew(() => pc.Machine.Run(new RunLimits(2_000_000_000)), TaskCreationOptions.LongRunning);
        uint kalloc = images[0].Symbols.TryFind("kalloc", out uint a) ? a : throw new InvalidOperationException("no kalloc");
        using (var c = new RawClient(server.Port))
        {
            Assert.StartsWith("T05", c.Ask("?"));
            Assert.Equal("OK", c.Ask($"Z0,{kalloc:x},1"));
            Assert.Equal(1, pc.Machine.Cpu.Hooks.CountOf("gdb"));
            c.Send("c");
            Assert.Equal('+', c.ReadByte());
            Assert.Equal("T05swbreak:;thread:01;", c.ReadPacket());
            c.SendRaw("+");
            Assert.Equal("OK", c.Ask($"z0,{kalloc:x},1"));
            Assert.True(pc.Machine.Cpu.Hooks.IsHooked(kalloc));         // the tracer's hook is still there
            Assert.Equal(0, pc.Machine.Cpu.Hooks.CountOf("gdb"));
            c.Send("c");
            Assert.Equal('+', c.ReadByte());
            Assert.StartsWith("W", c.ReadPacket());
        }
        RunResult r = run.Result;
        return (tracer.Calls, r);
    }

    [Fact]
    public void DeletingABreakpointOnATracedFunction_KeepsTheFunctionTraced()
    {
        var (plainCalls, plain) = Trace(breakOnKalloc: false);
        var (calls, debugged) = Trace(breakOnKalloc: true);
        Assert.Equal(StopReason.GuestExit, plain.Reason);
        Assert.Equal(StopReason.GuestExit, debugged.Reason);
        Assert.True(plainCalls > 100, $"only {plainCalls} calls traced");
        Assert.Equal(plainCalls, calls);
    }
}
