using System.Globalization;

namespace Minix318Emu.Cli.Progress;

/// <summary>
/// The text of the live status line: guest time, instructions, MIPS over the last interval
/// (the speed now, not the average), traced calls and trace bytes when tracing, host time; the
/// fields two spaces apart.
/// </summary>
public sealed class StatusText
{
    private RunCounters _last;
    private TimeSpan _lastAt;
    private double _mips;

    /// <summary>The line for <paramref name="now"/>, read <paramref name="elapsed"/> after the run began.</summary>
    public string Next(RunCounters now, TimeSpan elapsed)
    {
        double dt = (elapsed - _lastAt).TotalSeconds;
        if (dt > 0)
        {
            _mips = (now.Instructions - _last.Instructions) / dt / 1e6;
        }
        _last = now;
        _lastAt = elapsed;
        var parts = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"guest {now.GuestNanoseconds / 1e9:0.000} s"),
            string.Create(CultureInfo.InvariantCulture, $"{now.Instructions / 1e6:0.0} M instr"),
            string.Create(CultureInfo.InvariantCulture, $"{_mips:0.0} MIPS"),
        };
        if (now.Calls is long calls)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{calls:N0} calls"));
        }
        if (now.TraceBytes is long bytes)
        {
            parts.Add($"trace {Bytes(bytes)}");
        }
        parts.Add(Clock(elapsed));
        return string.Join("  ", parts);
    }

    /// <summary>Bytes as B, KiB, MiB or GiB with one decimal.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.0} GiB"),
    };

    /// <summary>Host time as m:ss (h:mm:ss past an hour).</summary>
    public static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
}
