using System.Globalization;
using System.Reflection;
using System.Text;
using static Minix318Emu.Tracing.Analysis.HtmlText;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// The report as one self-contained HTML page (report.html): the styles, the SVG and a small
/// script are inline, nothing is fetched, so it opens from disk anywhere. Sections: summary
/// figures; processes; the topology (processes and their IPC, then per process callers ->
/// allocators -> backends); the allocator table (sortable, filterable); sizes and lifetimes per
/// allocator; the live heap over time with its peak; cross-process edges; leaks and anomalies
/// grouped by stack; and the Markdown report's sections. Every number comes from the
/// <see cref="AnalysisReport"/> (the exact value in a data-v attribute, for sorting and for
/// tests); lists that grow with the trace are aggregated and capped, so the page stays small
/// whatever the trace's length.
/// </summary>
public static class HtmlReport
{
    /// <summary>At most this many rows of grouped leaks, of grouped anomalies and of cross-process edges.</summary>
    public const int MaxRows = 200;

    /// <summary>The page for <paramref name="r"/>.</summary>
    public static string Write(AnalysisReport r)
    {
        string title = r.Trace.Images.Count == 0 ? "(no images)" : string.Join(" + ", r.Trace.Images.Select(i => i[..i.IndexOf(' ', StringComparison.Ordinal)]));
        var sb = new StringBuilder(256 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append($"<title>Allocation report: {E(title)}</title><style>{Resource("report.css")}</style></head>\n<body>\n");
        Header(sb, r);
        sb.Append("<main>\n");
        Summary(sb, r);
        Processes(sb, r);
        Topology(sb, r);
        Allocators(sb, r);
        SizesAndLifetimes(sb, r);
        Live(sb, r);
        CrossProcess(sb, r);
        Leaks(sb, r);
        Anomalies(sb, r);
        sb.Append($"<section id=\"markdown\" class=\"md\"><h2>The topology report</h2><p class=\"note\">The Markdown report (report.md), section by section.</p>\n{MarkdownHtml.Render(MarkdownReport.Write(r))}</section>\n");
        sb.Append("</main>\n<div id=\"tip\" class=\"hidden\"></div>\n");
        sb.Append($"<script>{Resource("report.js")}</script>\n</body></html>\n");
        return sb.ToString();
    }

    private static string Resource(string name)
    {
        using Stream s = Assembly.GetExecutingAssembly().GetManifestResourceStream($"html.{name}")
            ?? throw new InvalidOperationException($"the HTML report's {name} is not embedded in the tracing assembly");
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }

    private static void Header(StringBuilder sb, AnalysisReport r)
    {
        var names = r.Processes.Where(p => p.Calls > 0).Select(p => p.Name)
            .Concat(r.Edges.Where(e => e.Kind == "ipc").SelectMany(e => new[] { e.Process, e.ToProcess! }))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        sb.Append("<header><h1>Allocation report</h1>");
        sb.Append("<label>Process <select id=\"proc\"><option value=\"\">all processes</option>");
        foreach (string n in names)
        {
            sb.Append($"<option value=\"{E(n)}\">{E(n)}</option>");
        }
        sb.Append("</select></label>");
        sb.Append("<label>Function <input id=\"q\" type=\"search\" placeholder=\"filter allocators\" size=\"16\"></label>");
        sb.Append("<nav><a href=\"#summary\">Summary</a><a href=\"#processes\">Processes</a><a href=\"#topology\">Topology</a><a href=\"#allocators\">Allocators</a>"
            + "<a href=\"#sizes\">Sizes</a><a href=\"#live-heap\">Live heap</a><a href=\"#ipc\">IPC</a><a href=\"#leaks\">Leaks</a><a href=\"#anomalies\">Anomalies</a><a href=\"#markdown\">Report</a></nav>");
        sb.Append("</header>\n");
    }

    private static void Card(StringBuilder sb, string key, string label, long value, string? shown = null) =>
        sb.Append($"<div class=\"card\" data-k=\"{key}\" data-v=\"{value.ToString(CultureInfo.InvariantCulture)}\"><div class=\"k\">{E(label)}</div><div class=\"v\">{E(shown ?? N(value))}</div></div>");

    private static void Card(StringBuilder sb, string key, string label, ulong value, string? shown = null) =>
        sb.Append($"<div class=\"card\" data-k=\"{key}\" data-v=\"{value.ToString(CultureInfo.InvariantCulture)}\"><div class=\"k\">{E(label)}</div><div class=\"v\">{E(shown ?? N(value))}</div></div>");

    private static void Summary(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("<section id=\"summary\"><h2>Summary</h2>");
        sb.Append($"<p class=\"note\">Profile <code>{E(r.Trace.Profile)}</code>; {r.Trace.GuestSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s of guest time at {N(r.Trace.TicksPerSecond)} ticks/s. Images: {E(string.Join(", ", r.Trace.Images.Select(i => i[..i.IndexOf(' ', StringComparison.Ordinal)])))}.</p>");
        sb.Append("<div class=\"cards\">");
        Card(sb, "calls", "traced calls", r.Trace.Calls);
        Card(sb, "unreturned", "still in progress at the end", r.Trace.UnreturnedCalls);
        Card(sb, "messages", "messages delivered", r.Messages.Delivered);
        Card(sb, "processes", "processes with traced calls", r.Processes.Count(p => p.Calls > 0));
        Card(sb, "allocators", "allocator functions", r.Allocators.Select(a => a.Name).Distinct().Count());
        Card(sb, "ipc-edges", "cross-process edges", r.Edges.Count(e => e.Kind == "ipc"));
        Card(sb, "peak", "live heap peak (bytes)", r.Live.PeakBytes);
        Card(sb, "final", "live at the end (bytes)", r.Live.FinalBytes);
        Card(sb, "leaks", "blocks never freed", r.Leaks.Count);
        Card(sb, "anomalies", "anomalies", r.Anomalies.Count);
        sb.Append("</div></section>\n");
    }

    private static void Processes(StringBuilder sb, AnalysisReport r)
    {
        var used = r.Processes.Where(p => p.Calls > 0 || p.RequestsReceived > 0).ToList();
        sb.Append("<section id=\"processes\"><h2>Processes</h2><p class=\"note\">All processes of one name together; bytes are what their outermost allocating calls asked for. Click a row to show only that process.</p>");
        sb.Append("<div class=\"scroll\"><table id=\"process-table\"><thead><tr><th class=\"sortable\">process</th><th>endpoints</th><th class=\"sortable n\">calls</th><th class=\"sortable n\">bytes</th>"
            + "<th class=\"sortable n\">requests received</th><th class=\"sortable n\">messages sent</th><th>calls by function</th></tr></thead><tbody>");
        foreach (ProcessStats p in used)
        {
            sb.Append($"<tr class=\"clickable\" data-proc=\"{E(p.Name)}\"><td>{E(p.Name)}</td><td>{E(string.Join(", ", p.Endpoints))}</td>{Num(p.Calls)}{Num(p.Bytes)}{Num(p.RequestsReceived)}{Num(p.MessagesSent)}"
                + $"<td class=\"mono\">{E(string.Join(", ", p.CallsByFunction.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {N(kv.Value)}")))}</td></tr>");
        }
        sb.Append("</tbody></table></div></section>\n");
    }

    private static void Topology(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("<section id=\"topology\"><h2>Topology</h2>");
        sb.Append("<p class=\"note\">Processes (circle size: traced calls) and the requests between them that made a server allocate or came from inside a client's allocator (arrow width: requests). Hover for numbers; click a process to show only it.</p>");
        sb.Append($"<div class=\"graph\">{HtmlTopology.ProcessGraph(r)}</div>");
        sb.Append($"<p class=\"note\">Per process: callers and request handlers → allocators → nested allocators and backends (solid: calls; dotted: a server's handler to what it allocated while serving; dashed: calls inside an allocator's calls; blue: IPC, ⇄ another process). "
            + $"Width grows with calls; hover an edge for calls and bytes; click a function to filter the allocator table. At most {HtmlTopology.MaxCallerEdges} caller edges per process, the rest merged. Graphs shown: <span data-count-of=\".proc-graph\"></span>.</p>");
        sb.Append(HtmlTopology.ProcessPanels(r));
        sb.Append("</section>\n");
    }

    private static IEnumerable<string> ProcessesOf(AllocatorStats a) => a.CallsByProcess.Keys;

    private static void Allocators(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("<section id=\"allocators\"><h2>Allocators</h2>");
        sb.Append("<p class=\"note\">Per function and image. Click a heading to sort; the process and function filters above apply. Rows shown: <span data-count-of=\"#allocator-table tbody tr\"></span>.</p>");
        sb.Append("<div class=\"scroll\"><table id=\"allocator-table\"><thead><tr><th class=\"sortable\">function</th><th class=\"sortable\">image</th><th class=\"sortable\">family</th><th class=\"sortable\">role</th>"
            + "<th class=\"sortable n\">calls</th><th class=\"sortable n\">outermost</th><th class=\"sortable n\">bytes</th><th class=\"sortable n\">released</th>");
        foreach (string c in HtmlCharts.LifetimeClasses)
        {
            sb.Append($"<th class=\"sortable n\">{c}</th>");
        }
        sb.Append("<th>threading</th><th>processes (calls)</th></tr></thead><tbody>");
        foreach (AllocatorStats a in r.Allocators.OrderByDescending(a => a.Calls).ThenBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Image, StringComparer.Ordinal))
        {
            sb.Append($"<tr data-key=\"{E(a.Name)}@{E(a.Image)}\" data-fn=\"{E(a.Name)}\" data-procs=\"{Procs(ProcessesOf(a))}\"><td><code>{E(a.Name)}</code></td><td>{E(a.Image)}</td><td>{E(a.Family)}</td><td>{E(a.Role)}</td>"
                + $"{Num(a.Calls)}{Num(a.OutermostCalls)}{Num(a.Bytes)}{Num(a.BytesReleased)}");
            foreach (string c in HtmlCharts.LifetimeClasses)
            {
                sb.Append(Num(a.Lifetimes.GetValueOrDefault(c)));
            }
            sb.Append($"<td>{E(a.ThreadingModel)}</td><td class=\"mono\">{E(string.Join(", ", a.CallsByProcess.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {N(kv.Value)}")))}</td></tr>");
        }
        sb.Append("</tbody></table></div></section>\n");
    }

    private static void SizesAndLifetimes(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("<section id=\"sizes\"><h2>Sizes and lifetimes</h2>");
        sb.Append($"<p class=\"note\">Per allocating function and image: the sizes asked for (power-of-two buckets; hover a bar for its count) and how long the blocks lived. {E(r.Thresholds.Rule)} (Immediate: within {N(r.Thresholds.ImmediateTicks)} guest ticks).</p>");
        sb.Append(HtmlCharts.Legend());
        var total = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (AllocatorStats a in r.Allocators)
        {
            foreach (var (c, n) in a.Lifetimes)
            {
                total[c] = total.GetValueOrDefault(c) + n;
            }
        }
        sb.Append($"<h3>All blocks</h3><div id=\"lifetimes-all\">{HtmlCharts.Lifetimes(total, 600)}</div>");
        sb.Append("<div class=\"note\">" + string.Join(", ", HtmlCharts.LifetimeClasses.Select(c => $"{c} <span data-life=\"{c}\" data-v=\"{total.GetValueOrDefault(c)}\">{N(total.GetValueOrDefault(c))}</span>")) + "</div>");
        sb.Append("<div class=\"allocs\">");
        foreach (AllocatorStats a in r.Allocators.Where(a => a.Bytes > 0 || a.Lifetimes.Count > 0).OrderByDescending(a => a.Calls))
        {
            AllocationPattern? p = r.AllocationPatterns.FirstOrDefault(x => x.Allocator == a.Name && x.Image == a.Image);
            string dist = p is null || a.Bytes == 0 ? "" : $"min {N(p.SizeDistribution.Min)}, median {N(p.SizeDistribution.Median)}, mean {p.SizeDistribution.Mean.ToString("0", CultureInfo.InvariantCulture)}, max {N(p.SizeDistribution.Max)} B";
            sb.Append($"<div class=\"alloc\" data-fn=\"{E(a.Name)}\" data-procs=\"{Procs(ProcessesOf(a))}\"><h3><code>{E(a.Name)}</code> in {E(a.Image)} <span class=\"note\">{N(a.Calls)} calls, {E(B(a.Bytes))}</span></h3>");
            if (dist.Length > 0)
            {
                sb.Append($"<div class=\"note\">{dist}; top sizes {E(string.Join(", ", a.TopSizes.Select(s => $"{N(s.Size)}×{N(s.Count)}")))}</div>");
            }
            sb.Append(a.Bytes > 0 ? HtmlCharts.Histogram(a) : "");
            sb.Append(HtmlCharts.Lifetimes(a.Lifetimes));
            sb.Append("</div>");
        }
        sb.Append("</div></section>\n");
    }

    private static void Live(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("<section id=\"live-heap\"><h2>Live heap</h2>");
        sb.Append($"<p class=\"note\">Bytes held by blocks the programs allocated (outermost calls) and had not freed, over guest time (at most 1 000 samples); hover for the value. "
            + $"Peak <strong>{E(B(r.Live.PeakBytes))}</strong> at tick {N(r.Live.PeakTime)}; at the end {E(B(r.Live.FinalBytes))} in {N(r.Live.FinalBlocks)} blocks.</p>");
        sb.Append(HtmlCharts.Timeline(r.Live, r.Trace.TicksPerSecond));
        sb.Append("</section>\n");
    }

    private static void CrossProcess(StringBuilder sb, AnalysisReport r)
    {
        var ipc = r.Edges.Where(e => e.Kind == "ipc").OrderByDescending(e => e.Bytes).ThenByDescending(e => e.Calls).ToList();
        sb.Append("<section id=\"ipc\"><h2>Cross-process edges</h2>");
        if (ipc.Count == 0)
        {
            sb.Append("<p class=\"note\">None: the trace holds no messages (not a MINIX kernel) or no request made a server allocate.</p></section>\n");
            return;
        }
        sb.Append($"<p class=\"note\">A client's traced calls in progress when its request was delivered, the message, and the server's request handler; requests, and bytes the server allocated serving them. {N(ipc.Count)} edges"
            + (ipc.Count > MaxRows ? $", the {MaxRows} heaviest shown" : "") + ". Rows shown: <span data-count-of=\"#ipc-table tbody tr\"></span>.</p>");
        sb.Append("<div class=\"scroll\"><table id=\"ipc-table\"><thead><tr><th class=\"sortable\">client</th><th class=\"sortable\">traced calls in progress</th><th class=\"sortable\">message</th>"
            + "<th class=\"sortable\">server</th><th class=\"sortable\">handler</th><th class=\"sortable n\">requests</th><th class=\"sortable n\">bytes</th></tr></thead><tbody>");
        foreach (TopologyEdge e in ipc.Take(MaxRows))
        {
            sb.Append($"<tr data-procs=\"{Procs(new[] { e.Process, e.ToProcess! })}\"><td>{E(e.Process)}</td><td><code>{E(e.From.Length == 0 ? "(no traced call)" : e.From)}</code></td><td>{E(e.Message ?? "")}</td>"
                + $"<td>{E(e.ToProcess ?? "")}</td><td><code>{E(e.To.Length == 0 ? "(no traced call)" : e.To)}</code></td>{Num(e.Calls)}{Num(e.Bytes)}</tr>");
        }
        sb.Append("</tbody></table></div></section>\n");
    }

    private static string Stack(List<string> stack) =>
        stack.Count == 0 ? "" : $"<details><summary>stack ({stack.Count} frames)</summary><pre class=\"mono\">{E(string.Join("\n", stack))}</pre></details>";

    private static void Leaks(StringBuilder sb, AnalysisReport r)
    {
        var groups = r.Leaks.GroupBy(l => (l.Process, l.Allocator, Stack: string.Join("\n", l.Stack)))
            .Select(g => (g.Key.Process, g.Key.Allocator, Stack: g.First().Stack, Blocks: g.LongCount(), Bytes: g.Aggregate(0UL, (a, l) => a + l.Size), First: g.Min(l => l.Time)))
            .OrderByDescending(g => g.Bytes).ThenByDescending(g => g.Blocks).ThenBy(g => g.Process, StringComparer.Ordinal).ToList();
        sb.Append("<section id=\"leaks\"><h2>Leaks</h2>");
        sb.Append($"<p class=\"note\"><span id=\"leak-count\" data-v=\"{r.Leaks.Count}\">{N(r.Leaks.Count)}</span> blocks still allocated at the end ({E(B(r.Live.FinalBytes))}), in {N(groups.Count)} groups by process, allocator and allocation stack"
            + (groups.Count > MaxRows ? $"; the {MaxRows} largest shown" : "") + ". For a boot most are memory a server keeps for its lifetime. Rows shown: <span data-count-of=\"#leak-table tbody tr\"></span>.</p>");
        sb.Append("<div class=\"scroll\"><table id=\"leak-table\"><thead><tr><th class=\"sortable\">process</th><th class=\"sortable\">allocator</th><th class=\"sortable n\">blocks</th><th class=\"sortable n\">bytes</th>"
            + "<th class=\"sortable n\">first at tick</th><th>allocation stack</th></tr></thead><tbody>");
        foreach (var g in groups.Take(MaxRows))
        {
            sb.Append($"<tr data-procs=\"{Procs(new[] { g.Process })}\" data-fn=\"{E(g.Allocator)}\"><td>{E(g.Process)}</td><td><code>{E(g.Allocator)}</code></td>{Num(g.Blocks)}{Num(g.Bytes)}{Num(g.First)}"
                + $"<td><code>{E(g.Stack.FirstOrDefault() ?? "")}</code>{Stack(g.Stack)}</td></tr>");
        }
        sb.Append("</tbody></table></div></section>\n");
    }

    private static void Anomalies(StringBuilder sb, AnalysisReport r)
    {
        var groups = r.Anomalies.GroupBy(a => (a.Kind, a.Process, a.Function, Stack: string.Join("\n", a.Stack)))
            .Select(g => (g.Key.Kind, g.Key.Process, g.Key.Function, First: g.First(), Count: g.LongCount()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Kind, StringComparer.Ordinal).ThenBy(g => g.Process, StringComparer.Ordinal).ToList();
        sb.Append("<section id=\"anomalies\"><h2>Anomalies</h2>");
        sb.Append($"<p class=\"note\"><span id=\"anomaly-count\" data-v=\"{r.Anomalies.Count}\">{N(r.Anomalies.Count)}</span> anomalies (double free, free of a block never seen allocated, free through another family) in {N(groups.Count)} groups by kind, process, function and stack"
            + (groups.Count > MaxRows ? $"; the {MaxRows} largest shown" : "") + ". Rows shown: <span data-count-of=\"#anomaly-table tbody tr\"></span>.</p>");
        sb.Append("<div class=\"scroll\"><table id=\"anomaly-table\"><thead><tr><th class=\"sortable\">kind</th><th class=\"sortable\">process</th><th class=\"sortable\">function</th><th class=\"sortable n\">count</th>"
            + "<th>first</th><th>stack</th></tr></thead><tbody>");
        foreach (var g in groups.Take(MaxRows))
        {
            sb.Append($"<tr data-procs=\"{Procs(new[] { g.Process })}\" data-fn=\"{E(g.Function)}\"><td>{E(g.Kind)}</td><td>{E(g.Process)}</td><td><code>{E(g.Function)}</code></td>{Num(g.Count)}"
                + $"<td>0x{g.First.Pointer:x8} at tick {N(g.First.Time)}: {E(g.First.Detail)}</td><td>{Stack(g.First.Stack)}</td></tr>");
        }
        sb.Append("</tbody></table></div></section>\n");
    }
}
