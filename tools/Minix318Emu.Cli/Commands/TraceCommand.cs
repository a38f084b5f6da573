using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;
using Minix318Emu.Cli.Progress;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tracing;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;
using Minix318Emu.Tracing.Tracer;
using Spectre.Console;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// `trace`: boots a kernel with the allocation tracer attached, writes trace.m318 completely
/// (also after a guest crash, a limit or Ctrl-C), then the reports, and prints the summary.
/// </summary>
public static class TraceCommand
{
    /// <summary>The tracer's section in a state file.</summary>
    public const string TracerStateId = "tracer";

    /// <summary>The trace writer's section in a state file (where --continue-trace takes the file up).</summary>
    public const string WriterStateId = "trace-writer";

    /// <summary>Runs the verb.</summary>
    public static int Execute(TraceOptions o)
    {
        EmulatorSettings s = SettingsLoader.Load(o);
        Logging.Configure(s.LogLevel);
        string outDir = o.Out ?? "trace-out";
        if (o.ContinueTrace && s.LoadState.Length == 0)
        {
            throw new UsageException("--continue-trace needs --load-state FILE (a state saved by trace)");
        }
        OutputFolder.Create("--out", outDir);
        string? consoleFile = null;
        if (o.Serial is null)
        {
            consoleFile = Path.Combine(outDir, "console.txt");
            s.Serial = "file:" + consoleFile; // keep the summary readable on stdout
        }
        AllocatorProfile profile;
        try
        {
            profile = AllocatorProfile.Load(o.Profile ?? "minix318");
        }
        catch (ProfileException e)
        {
            throw new UsageException($"--profile {e.Message}");
        }
        foreach (string sym in o.Symbols)
        {
            if (!File.Exists(sym))
            {
                throw new UsageException($"--symbols {sym}: no such file");
            }
        }

        using Session session = SessionBuilder.Build(s, new SessionRequest
        {
            Verb = "trace",
            DefaultGuest = "minix318",
            DefaultGuestModules = new[] { "prog_a", "prog_b", "prog_ucb" },
            ArgumentScript = o.ArgumentScript(),
            ContinueConsoleFile = o.ContinueTrace && consoleFile is not null ? "--continue-trace" : null,
        });
        var images = session.Files.Select(f => f.Data is null
            ? TracedImage.Load(f.Path, f.IsKernel ? ImageScope.Kernel : ImageScope.User)
            : TracedImage.FromBytes(f.Path, f.Data, f.IsKernel ? ImageScope.Kernel : ImageScope.User)).ToList();
        foreach (string sym in o.Symbols)
        {
            images.Add(TracedImage.Load(sym, ImageScope.User));
        }
        if (images.Count == 0)
        {
            Console.Error.WriteLine($"minix318emu: the {session.Route} boot loads no ELF files, so nothing is traced unless --symbols names the guest's programs");
        }

        string tracePath = Path.Combine(outDir, "trace.m318");
        TraceHeader header = TraceHeader.For(profile.Name, images, s.InstructionsPerSecond);
        RunResult result;
        string? minix;
        RunCounters end;
        IAnsiConsole? ui = Terminal.Open(o.Quiet);
        using (var writer = o.ContinueTrace ? ContinueWriter(session, tracePath, header) : new TraceWriter(tracePath, header))
        using (var tracer = new AllocationTracer(session.Machine, profile, images, writer))
        {
            foreach (string missing in tracer.MissingSymbols)
            {
                Console.Error.WriteLine($"minix318emu: profile {profile.Name}: {missing} is not in any image (not traced)");
            }
            if (session.Gdb is not null)
            {
                session.Gdb.Session.MonitorExtension = tracer.Monitor;
            }
            if (session.LoadedState is { } state && state.Has(TracerStateId))
            {
                // A state saved by `trace` continues its trace; one saved by `run` starts a new trace there.
                state.Load(TracerStateId, tracer);
                Console.Error.WriteLine($"minix318emu: the trace continues after the {tracer.WrittenBeforeResume.Calls} calls and {tracer.WrittenBeforeResume.Messages} messages written before the save");
            }
            using (StatusLine.ForRun(ui, () => RunCommand.Counters(session.Machine, tracer.Calls, writer.BytesWritten)))
            {
                // The state (with the tracer's position) is saved before the trace is finished, whatever ended the run.
                result = session.Run(beforeClose: tracer.Finish, extraState: () => SavedParts(tracer, writer, consoleFile));
            }
            minix = tracer.MinixSummary;
            end = RunCommand.Counters(session.Machine, tracer.Calls, writer.BytesWritten);
        }
        Console.Error.WriteLine($"minix318emu: {result.Reason}: {result.Message}");
        if (minix is not null)
        {
            Console.Error.WriteLine($"minix318emu: {minix}");
        }
        string summary;
        using (var phase = PhaseLine.Start(ui, "trace"))
        {
            WorkProgress? progress = phase is null ? null : new WorkProgress();
            if (phase is not null)
            {
                phase.Set($"reading {tracePath}", progress!);
            }
            TraceFile trace = TraceReader.Read(tracePath, progress);
            summary = AnalyzeCommand.WriteReports(trace, outDir, AnalyzeCommand.ParseFormats(AnalyzeCommand.DefaultFormats), out _, phase);
        }
        Console.Write(summary);
        Console.WriteLine($"trace and reports written to {outDir}");
        ui?.Write(RunSummaryTable.Build(result, end, [("trace", tracePath), ("reports", outDir)]));
        return result.Reason is StopReason.GuestExit or StopReason.PowerOff ? 0 : ExitCodes.For(result);
    }

    /// <summary>
    /// What trace saves beside the machine: the tracer's and the writer's positions, and how far
    /// the console file had got when it is trace's own console.txt (a --continue-trace continues it).
    /// </summary>
    private static IEnumerable<(string Id, Emulator.Snapshots.ISnapshotState Part)> SavedParts(AllocationTracer tracer, TraceWriter writer, string? consoleFile)
    {
        yield return (TracerStateId, tracer);
        yield return (WriterStateId, writer.Position());
        if (consoleFile is not null)
        {
            yield return (ConsoleFilePosition.StateId, ConsoleFilePosition.Of(consoleFile));
        }
    }

    /// <summary>The writer that takes up the trace the state's saving run wrote (--continue-trace).</summary>
    private static TraceWriter ContinueWriter(Session session, string tracePath, TraceHeader header)
    {
        Emulator.Snapshots.StateFile state = session.LoadedState!;
        if (!state.Has(WriterStateId))
        {
            throw new UsageException($"--continue-trace: {state.Path} was not saved by trace, so there is no trace to continue");
        }
        var at = new TraceWriterPosition();
        state.Load(WriterStateId, at);
        try
        {
            TraceWriter writer = TraceWriter.Continue(tracePath, header, at);
            Console.Error.WriteLine($"minix318emu: continuing {tracePath} after its first {at.Handed + at.Block.Length} bytes ({at.Calls} calls, {at.Messages} messages)");
            return writer;
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"--continue-trace: {e.Message}");
        }
    }
}
