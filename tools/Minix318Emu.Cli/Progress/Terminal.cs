using Spectre.Console;

namespace Minix318Emu.Cli.Progress;

/// <summary>
/// Where the progress line and the final summary table are drawn: standard error, and only when
/// both standard output and standard error are terminals and --quiet was not given. Otherwise
/// (redirected, piped, in tests) nothing is drawn and the output is what it was without them.
/// </summary>
public static class Terminal
{
    /// <summary>A console on standard error for the status line and tables, or null when they are not shown.</summary>
    public static IAnsiConsole? Open(bool quiet)
    {
        if (quiet || Console.IsOutputRedirected || Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") == "dumb")
        {
            return null;
        }
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
    }
}
