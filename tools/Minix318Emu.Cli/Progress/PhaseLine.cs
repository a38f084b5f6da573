using System.Globalization;
using Minix318Emu.Tracing;

namespace Minix318Emu.Cli.Progress;

/// <summary>
/// The status line of a verb that works in phases (analyze; trace's reports): "VERB: what it is
/// doing, how far | m:ss", the phase set by the worker and drawn by <see cref="StatusLine"/>'s
/// thread, which reads the phase's <see cref="WorkProgress"/> (when it has one) at each redraw.
/// </summary>
public sealed class PhaseLine : IDisposable
{
    private readonly StatusLine _line;
    private volatile Phase _phase = new("starting", null);

    private sealed record Phase(string Text, WorkProgress? Progress);

    private PhaseLine(Spectre.Console.IAnsiConsole console, string verb, TimeSpan period) =>
        _line = new StatusLine(console, elapsed =>
        {
            Phase p = _phase;
            return $"{verb}: {Text(p.Text, p.Progress)}  {StatusText.Clock(elapsed)}";
        }, period);

    /// <summary>A phase line on <paramref name="console"/>, or null (nothing drawn) when it is null.</summary>
    public static PhaseLine? Start(Spectre.Console.IAnsiConsole? console, string verb, TimeSpan? period = null) =>
        console is null ? null : new PhaseLine(console, verb, period ?? TimeSpan.FromMilliseconds(500));

    /// <summary>What is being done now.</summary>
    public void Set(string phase) => _phase = new Phase(phase, null);

    /// <summary>What is being done now, and how far it has got.</summary>
    public void Set(string phase, WorkProgress progress) => _phase = new Phase(phase, progress);

    /// <summary>
    /// The phase with its progress: "reading t.m318: 12.0 MiB of 48.0 MiB (25 %)", "writing
    /// parquet: 2,097,152 of 10,000,000 calls (20 %)", or a bare percentage when the unit is not
    /// worth naming (the analysis, several passes over the calls).
    /// </summary>
    public static string Text(string phase, WorkProgress? progress)
    {
        if (progress is null || progress.Total <= 0)
        {
            return phase;
        }
        long total = progress.Total, done = Math.Min(progress.Done, total);
        string percent = string.Create(CultureInfo.InvariantCulture, $"{100.0 * done / total:0} %");
        return progress.Unit switch
        {
            "" => $"{phase}: {percent}",
            "bytes" => $"{phase}: {StatusText.Bytes(done)} of {StatusText.Bytes(total)} ({percent})",
            string unit => string.Create(CultureInfo.InvariantCulture, $"{phase}: {done:N0} of {total:N0} {unit} ({percent})"),
        };
    }

    /// <summary>Clears the line.</summary>
    public void Dispose() => _line.Dispose();
}
