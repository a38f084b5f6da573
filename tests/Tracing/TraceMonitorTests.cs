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

/// <summary>The GDB stub's `monitor trace` commands on a traced run.</summary>
public sealed class TraceMonitorTests
{
    [Fact]
    public async Task TraceStatusOffOn_FromGdb()
    {
        string dir = Directory.CreateTempSubdirectory("minix318emu-tmon-").FullName;
        try
        {
            string kernel = Repo.Guest("minix318");
            string[] progs = { Repo.Guest("prog_a"), Repo.Guest("prog_b") };
            BootedPc pc = MachineFactory.Boot(kernel, "", progs.Select(p => new ModuleSpec(p, p)).ToList(), 64u << 20, new MemorySerialSink());
            var images = new List<TracedImage> { TracedImage.Load(kernel, ImageScope.Kernel) };
            images.AddRange(progs.Select(p => TracedImage.Load(p, ImageScope.User)));
            AllocatorProfile profile = AllocatorProfile.Load("minix318");
            using var writer = new TraceWriter(Path.Combine(dir, "t.m318"), TraceHeader.For(profile.Name, images, PcMachine.DefaultTicksPerSecond));
            using var tracer = new AllocationTracer(pc.Machine, profile, images, writer);
            using var server = new GdbServer(pc.Machine, new IPEndPoint(IPAddress.Loopback, 0));
            server.Session.MonitorExtension = tracer.Monitor;
            pc.Machine.WaitForDebuggerAtStart = true;
            var run = Task.Factory.StartNew(() => pc.Machine.Run(new RunLimits(2_000_000_000)), TaskCreationOptions.LongRunning);
            using var c = new RawClient(server.Port);
            Assert.StartsWith("T05", c.Ask("?"));
            Assert.Equal("allocation tracing on: 0 calls recorded, 0 in progress; live heap 0 blocks, 0 bytes\n", c.Monitor("trace status"));
            uint runProgram = images[0].Symbols.TryFind("run_program", out uint a) ? a : throw new InvalidOperationException();
            Assert.Equal("OK", c.Ask($"Z0,{runProgram:x},1"));
            c.Send("c");
            Assert.Equal('+', c.ReadByte());
            Assert.StartsWith("T05swbreak", c.ReadPacket());               // the kernel workload is done
            c.SendRaw("+");
            Assert.Matches(@"allocation tracing on: \d+ calls recorded, 0 in progress; live heap [1-9]\d* blocks", c.Monitor("trace status"));
            Assert.Equal("allocation tracing off (calls in progress are still completed)\n", c.Monitor("trace off"));
            Assert.Contains("unknown monitor command", c.Monitor("frob"));
            Assert.Equal("OK", c.Ask($"z0,{runProgram:x},1"));
            c.Send("c");
            RunResult result = await run.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(StopReason.GuestExit, result.Reason);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
