using System.Globalization;
using System.Text;
using static Minix318Emu.Tracing.Analysis.HtmlText;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>The HTML report's charts as SVG: size histograms, lifetime-class bars and the live-heap timeline with its peak.</summary>
internal static class HtmlCharts
{
    /// <summary>The lifetime classes in the order the bars show them.</summary>
    public static readonly string[] LifetimeClasses = { "Immediate", "Scoped", "Dynamic", "Persistent" };

    /// <summary>Bars per power-of-two size bucket (the analyzer's "&lt;=N" labels), hover for the count.</summary>
    public static string Histogram(AllocatorStats a)
    {
        var buckets = a.SizeHistogram.Select(kv => (Top: ulong.Parse(kv.Key.AsSpan(2), CultureInfo.InvariantCulture), Count: kv.Value)).OrderBy(b => b.Top).ToList();
        if (buckets.Count == 0)
        {
            return "";
        }
        const int bar = 22, gap = 3, height = 70;
        long max = buckets.Max(b => b.Count);
        double w = buckets.Count * (bar + gap) + 4;
        var sb = new StringBuilder($"<svg class=\"hist\" viewBox=\"0 0 {F(w)} {height + 16}\" width=\"{F(w)}\" height=\"{height + 16}\" role=\"img\" aria-label=\"sizes of {E(a.Name)}\">");
        for (int i = 0; i < buckets.Count; i++)
        {
            var (top, count) = buckets[i];
            double bh = Math.Max(1, height * (double)count / max);
            double x = 2 + i * (bar + gap);
            ulong low = i == 0 || top <= 1 ? 0 : top / 2 + 1;
            sb.Append($"<rect class=\"bar\" x=\"{F(x)}\" y=\"{F(height - bh)}\" width=\"{bar}\" height=\"{F(bh)}\" data-count=\"{count}\" "
                + $"data-tip=\"{E($"{N(low)}–{N(top)} B: {N(count)} calls")}\"/>");
            sb.Append($"<text x=\"{F(x + bar / 2.0)}\" y=\"{height + 12}\" text-anchor=\"middle\" style=\"font-size:9px\">{Short(top)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Short(ulong v) => v >= 1UL << 30 ? $"{v >> 30}G" : v >= 1 << 20 ? $"{v >> 20}M" : v >= 1 << 10 ? $"{v >> 10}K" : v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A bar split by lifetime class (blocks paired by the analyzer), hover for the counts.</summary>
    public static string Lifetimes(SortedDictionary<string, long> lifetimes, double width = 300)
    {
        long total = lifetimes.Values.Sum();
        if (total == 0)
        {
            return "";
        }
        var sb = new StringBuilder($"<svg class=\"life\" viewBox=\"0 0 {F(width)} 14\" width=\"{F(width)}\" height=\"14\" role=\"img\" aria-label=\"lifetime classes\">");
        double x = 0;
        foreach (string c in LifetimeClasses)
        {
            long n = lifetimes.GetValueOrDefault(c);
            if (n == 0)
            {
                continue;
            }
            double seg = width * n / total;
            sb.Append($"<rect class=\"lc-{c}\" x=\"{F(x)}\" y=\"0\" width=\"{F(seg)}\" height=\"14\" data-count=\"{n}\" "
                + $"data-tip=\"{E($"{c}: {N(n)} blocks ({100.0 * n / total:0.0} %)")}\"/>");
            x += seg;
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>The lifetime legend.</summary>
    public static string Legend() =>
        "<div class=\"legend note\">" + string.Concat(LifetimeClasses.Select(c => $"<span class=\"lc-{c}\"></span>{c}")) + "</div>";

    /// <summary>Live bytes over guest time with the peak marked; the samples ride in data-series for the hover cursor.</summary>
    public static string Timeline(LiveHeap live, ulong ticksPerSecond)
    {
        if (live.Series.Count == 0)
        {
            return "<p class=\"note\">No allocation returned: no live heap to draw.</p>";
        }
        const double w = 1000, h = 240, left = 80, right = 20, top = 16, bottom = 30;
        ulong t0 = live.Series[0].Time, t1 = Math.Max(live.Series[^1].Time, t0 + 1);
        ulong maxBytes = Math.Max(1, Math.Max(live.PeakBytes, live.Series.Max(p => p.Bytes)));
        double X(ulong t) => left + (w - left - right) * (t - Math.Min(t, t0)) / (double)(t1 - t0);
        double Y(ulong b) => top + (h - top - bottom) * (1 - (double)b / maxBytes);
        var pts = new StringBuilder();
        var data = new StringBuilder();
        foreach (LivePoint p in live.Series)
        {
            pts.Append($"{F(X(p.Time))},{F(Y(p.Bytes))} ");
            data.Append(CultureInfo.InvariantCulture, $"{p.Time},{p.Bytes},{F(X(p.Time))},{F(Y(p.Bytes))} ");
        }
        string Seconds(ulong t) => ticksPerSecond == 0 ? $"tick {t}" : $"{((double)t / ticksPerSecond).ToString("0.000", CultureInfo.InvariantCulture)} s";
        double peakX = X(Math.Clamp(live.PeakTime, t0, t1)), peakY = Y(live.PeakBytes);
        var sb = new StringBuilder();
        sb.Append($"<svg id=\"live\" viewBox=\"0 0 {F(w)} {F(h)}\" width=\"100%\" style=\"max-width:{F(w)}px\" role=\"img\" aria-label=\"live heap over guest time\" data-series=\"{data.ToString().TrimEnd()}\">");
        sb.Append($"<line class=\"axis\" x1=\"{F(left)}\" y1=\"{F(h - bottom)}\" x2=\"{F(w - right)}\" y2=\"{F(h - bottom)}\"/>");
        sb.Append($"<line class=\"axis\" x1=\"{F(left)}\" y1=\"{F(top)}\" x2=\"{F(left)}\" y2=\"{F(h - bottom)}\"/>");
        sb.Append($"<text x=\"{F(left - 6)}\" y=\"{F(top + 4)}\" text-anchor=\"end\">{E(Short(maxBytes))}B</text>");
        sb.Append($"<text x=\"{F(left - 6)}\" y=\"{F(h - bottom)}\" text-anchor=\"end\">0</text>");
        sb.Append($"<text x=\"{F(left)}\" y=\"{F(h - 10)}\">{E(Seconds(t0))}</text>");
        sb.Append($"<text x=\"{F(w - right)}\" y=\"{F(h - 10)}\" text-anchor=\"end\">{E(Seconds(t1))} (guest time)</text>");
        sb.Append($"<polygon class=\"livefill\" points=\"{F(X(t0))},{F(h - bottom)} {pts}{F(X(live.Series[^1].Time))},{F(h - bottom)}\"/>");
        sb.Append($"<polyline class=\"live\" points=\"{pts.ToString().TrimEnd()}\"/>");
        sb.Append($"<circle class=\"peak\" id=\"live-peak\" cx=\"{F(peakX)}\" cy=\"{F(peakY)}\" r=\"5\" data-bytes=\"{live.PeakBytes}\" data-time=\"{live.PeakTime}\" "
            + $"data-tip=\"{E($"peak: {B(live.PeakBytes)}\nat tick {N(live.PeakTime)} ({Seconds(live.PeakTime)})")}\"/>");
        sb.Append($"<text x=\"{F(Math.Min(peakX + 8, w - 200))}\" y=\"{F(Math.Max(peakY - 6, top + 10))}\">peak {E(B(live.PeakBytes))}</text>");
        sb.Append("<circle id=\"live-cursor\" class=\"hidden\" r=\"4\" fill=\"#1f2a3c\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }
}
