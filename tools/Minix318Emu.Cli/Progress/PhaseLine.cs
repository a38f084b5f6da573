namespace Minix318Emu.Cli.Progress;

/// <summary>
/// The status line of a verb that works in phases (analyze; trace's reports): "VERB: what it is
/// doing | m:ss", the phase set by the worker and drawn by <see cref="StatusLine"/>'s thread.
/// </summary>
public sealed class PhaseLine : IDisposable
{
    private readonly StatusLine _line;
    private volatile string _phase = "starting";

    private PhaseLine(Spectre.Console.IAnsiConsole console, string verb, TimeSpan period) =>
        _line = new StatusLine(console, elapsed => $"{verb}: {_phase}  {StatusText.Clock(elapsed)}", period);

    /// <summary>A phase line on <paramref name="console"/>, or null (nothing drawn) when it is null.</summary>
    public static PhaseLine? Start(Spectre.Console.IAnsiConsole? console, string verb, TimeSpan? period = null) =>
        console is null ? null : new PhaseLine(console, verb, period ?? TimeSpan.FromMilliseconds(500));

    /// <summary>What is being done now.</summary>
    public void Set(string phase) => _phase = phase;

    /// <summary>Clears the line.</summary>
    public void Dispose() => _line.Dispose();
}
