using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;
using Minix318Emu.Tracing.Tracer;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// `trace`: boots a kernel with the allocation tracer attached, writes trace.m318 completely
/// (also after a guest crash, a limit or Ctrl-C), then the reports, and prints the summary.
/// </summary>
public static class TraceCommand
{
    /// <summary>Runs the verb.</summary>
    public static int Execute(TraceOptions o)
    {
        EmulatorSettings s = SettingsLoader.Load(o);
        Logging.Configure(s.LogLevel);
        bool bundled = s.Kernel is null;
        if (bundled)
        {
            s.Kernel = BundledGuests.PathOf("minix318");
            if (s.Modules.Count == 0)
            {
                s.Modules = new List<string> { BundledGuests.PathOf("prog_a"), BundledGuests.PathOf("prog_b"), BundledGuests.PathOf("prog_ucb") };
            }
        }
        string outDir = o.Out ?? "trace-out";
        Directory.CreateDirectory(outDir);
        if (o.Serial is null)
        {
            s.Serial = "file:" + Path.Combine(outDir, "console.txt"); // keep the summary readable on stdout
        }
        var plan = RunPlan.From(s);
        AllocatorProfile profile;
        try
        {
            profile = AllocatorProfile.Load(o.Profile ?? "minix318");
        }
        catch (ProfileException e)
        {
            throw new UsageException($"--profile {e.Message}");
        }
        var images = new List<TracedImage> { TracedImage.Load(plan.Kernel, ImageScope.Kernel) };
        foreach (ModuleSpec m in plan.Modules)
        {
            images.Add(TracedImage.Load(m.Path, ImageScope.User));
        }
        foreach (string sym in o.Symbols)
        {
            images.Add(TracedImage.Load(sym, ImageScope.User));
        }

        BoardConfig board = BoardSetup.Create(s);
        BootedPc pc = MachineFactory.Boot(plan.Kernel, s.Append, plan.Modules, plan.RamBytes, board, s.InstructionsPerSecond);
        string tracePath = Path.Combine(outDir, "trace.m318");
        TraceHeader header = TraceHeader.For(profile.Name, images, s.InstructionsPerSecond);
        RunResult result;
        using (var writer = new TraceWriter(tracePath, header))
        using (var tracer = new AllocationTracer(pc.Machine, profile, images, writer))
        {
            foreach (string missing in tracer.MissingSymbols)
            {
                Console.Error.WriteLine($"minix318emu: profile {profile.Name}: {missing} is not in any image (not traced)");
            }
            using GdbServer? gdb = s.Gdb.Length > 0 && GdbServer.TryParseEndpoint(s.Gdb, out var ep, out _) ? new GdbServer(pc.Machine, ep) : null;
            if (gdb is not null)
            {
                pc.Machine.WaitForDebuggerAtStart = s.GdbWait;
                gdb.Session.MonitorExtension = tracer.Monitor;
            }
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                pc.Machine.Interrupt();
            };
            Console.CancelKeyPress += onCancel;
            using var progress = Progress.Start(pc.Machine, tracer);
            try
            {
                result = pc.Machine.Run(plan.Limits);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
                tracer.Finish(); // the trace is complete whatever ended the run
                pc.Board.Dispose();
            }
        }
        Console.Error.WriteLine($"minix318emu: {result.Reason}: {result.Message}");
        TraceFile trace = TraceReader.Read(tracePath);
        string summary = AnalyzeCommand.WriteReports(trace, outDir, AnalyzeCommand.ParseFormats(AnalyzeCommand.DefaultFormats), out _);
        Console.Write(summary);
        Console.WriteLine($"trace and reports written to {outDir}");
        return result.Reason is StopReason.GuestExit or StopReason.PowerOff ? 0 : ExitCodes.For(result);
    }

    /// <summary>Shows guest time, instructions and events on a terminal twice a second; silent when stderr is redirected.</summary>
    private sealed class Progress : IDisposable
    {
        private readonly Timer? _timer;

        private Progress(Timer? timer) => _timer = timer;

        public static Progress Start(PcMachine m, AllocationTracer t)
        {
            if (Console.IsErrorRedirected)
            {
                return new Progress(null);
            }
            var timer = new Timer(_ => Console.Error.Write(
                $"\r  guest {m.Clock.NowNanoseconds / 1e9:0.000} s, {m.Cpu.InstructionCount / 1e6:0.0} M instructions, {t.Calls} calls   "), null, 500, 500);
            return new Progress(timer);
        }

        public void Dispose()
        {
            if (_timer is not null)
            {
                _timer.Dispose();
                Console.Error.Write("\r" + new string(' ', 72) + "\r");
            }
        }
    }
}
