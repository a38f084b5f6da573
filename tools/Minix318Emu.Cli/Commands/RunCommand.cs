using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;
using Minix318Emu.Emulator.Machine;
using Serilog;

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
        RunResult result = session.Run();
        Report(result);
        return ExitCodes.For(result);
    }

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
