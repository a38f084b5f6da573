using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;
using Minix318Emu.Cli.Progress;
using Minix318Emu.Emulator.Machine;
using Serilog;
using Spectre.Console;

namespace Minix318Emu.Cli.Commands;

/// <summary>`run`: boots a kernel and runs it until the guest or a limit ends the run.</summary>
public static class RunCommand
{
    /// <summary>Runs the verb; returns the process exit code.</summary>
    public static int Execute(RunOptions options)
    {
        EmulatorSettings s = SettingsLoader.Load(options);
        Logging.Configure(s.LogLevel);
        using Session session = SessionBuilder.Build(s, new SessionRequest { Verb = "run", ArgumentScript = options.ArgumentScript() });
        Log.Information("booting by {Route}: {Files}", session.Route, string.Join(", ", session.Files.Select(f => f.Path)));
        IAnsiConsole? ui = Terminal.Open(options.Quiet);
        RunResult result;
        // The guest's console on this terminal (--serial stdio, a --debugcon without a file) owns it: no live line then.
        bool guestOnTerminal = s.Serial == "stdio" || (s.Debugcon is { } d && !d.Contains(",file:", StringComparison.Ordinal));
        using (StatusLine.ForRun(guestOnTerminal ? null : ui, () => Counters(session.Machine)))
        {
            result = session.Run();
        }
        Report(result);
        if (session.Machine.Cpu.CompilerStatistics is { } c)
        {
            Log.Information("compiled tier: {Statistics}", RunSummaryTable.Describe(c));
        }
        ui?.Write(RunSummaryTable.Build(result, Counters(session.Machine)));
        return ExitCodes.For(result);
    }

    /// <summary>The machine's counters for the status line (read from its thread; nothing is written).</summary>
    public static RunCounters Counters(PcMachine m, long? calls = null, long? traceBytes = null) =>
        new(m.Clock.NowNanoseconds, m.Cpu.InstructionCount, calls, traceBytes, m.Cpu.CompilerStatistics);

    private static void Report(RunResult r)
    {
        Log.Information("{Reason}: {Message} after {Instructions} instructions in {Seconds:0.000} s ({Mips:0.0} MIPS)",
            r.Reason, r.Message, r.Instructions, r.Elapsed.TotalSeconds, r.Mips);
        if (r.Reason is not (StopReason.GuestExit or StopReason.PowerOff or StopReason.ScriptStopped or StopReason.StateSaved))
        {
            Console.Error.WriteLine($"minix318emu: {r.Message}");
        }
    }
}
