using Minix318Emu.Cli.Configuration;
using Serilog;
using Serilog.Events;

namespace Minix318Emu.Cli.Hosting;

/// <summary>Serilog set-up: diagnostics go to standard error, so guest output on stdout stays clean.</summary>
public static class Logging
{
    /// <summary>Configures the global logger at <paramref name="level"/>.</summary>
    public static void Configure(string level)
    {
        LogEventLevel min = level.ToLowerInvariant() switch
        {
            "verbose" or "trace" => LogEventLevel.Verbose,
            "debug" => LogEventLevel.Debug,
            "information" or "info" => LogEventLevel.Information,
            "warning" or "warn" => LogEventLevel.Warning,
            "error" => LogEventLevel.Error,
            "fatal" => LogEventLevel.Fatal,
            _ => throw new UsageException($"--log-level '{level}': expected verbose, debug, information, warning, error or fatal"),
        };
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(min)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "[{Level:u3}] {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
    }
}
