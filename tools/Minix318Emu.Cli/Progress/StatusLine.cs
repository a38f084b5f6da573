using System.Diagnostics;
using Spectre.Console;

namespace Minix318Emu.Cli.Progress;

/// <summary>
/// A one-line live display (Spectre.Console) redrawn from a host-side thread every period, with
/// the text <c>line</c> gives for the host time since the start. The guest never drives it: the
/// thread only reads counters, so a run with the line is the run without it. The line is
/// drawn at once, then every period, and cleared when disposed.
/// </summary>
public sealed class StatusLine : IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly Func<TimeSpan, string> _line;
    private readonly TimeSpan _period;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _thread;

    /// <summary>Starts drawing on <paramref name="console"/>.</summary>
    public StatusLine(IAnsiConsole console, Func<TimeSpan, string> line, TimeSpan period)
    {
        _console = console;
        _line = line;
        _period = period;
        _thread = new Thread(Draw) { IsBackground = true, Name = "status line" };
        _thread.Start();
    }

    /// <summary>The status line of a run (after <paramref name="label"/> if given), or nothing (null) when <paramref name="console"/> is null.</summary>
    public static StatusLine? ForRun(IAnsiConsole? console, Func<RunCounters> read, string? label = null)
    {
        if (console is null)
        {
            return null;
        }
        var text = new StatusText();
        string prefix = label is null ? "" : label + "  ";
        return new StatusLine(console, elapsed => prefix + text.Next(read(), elapsed), TimeSpan.FromMilliseconds(500));
    }

    /// <summary>The line, cut to one row of the terminal (Spectre would wrap it at a space).</summary>
    private Text Render()
    {
        string line = _line(_clock.Elapsed);
        int width = Math.Max(10, _console.Profile.Width - 1);
        return new Text(line.Length <= width ? line : string.Concat(line.AsSpan(0, width - 1), "…"));
    }

    private void Draw()
    {
        try
        {
            _console.Live(Render()).AutoClear(true).Overflow(VerticalOverflow.Ellipsis).Start(ctx =>
            {
                ctx.Refresh(); // the first line at once, not a period later
                while (!_stop.Wait(_period))
                {
                    ctx.UpdateTarget(Render()); // redraws
                }
            });
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The terminal went away (closed, or another live display): the run goes on without the line.
        }
    }

    /// <summary>Stops and clears the line.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
