using System.Text;
using static Minix318Emu.Tracing.Analysis.HtmlText;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// The HTML report's graphs, drawn here as SVG (no layout library): the processes and the
/// IPC requests between them (a circle of processes, an arrow per client -> server pair), and
/// per process a layered graph — callers and request handlers, then allocators, then what they
/// call inside (nested allocators, backends) — with the IPC clients that made a server allocate
/// on its left and the servers a client's allocator called on its right. Edge widths grow with
/// the log of their calls; hovering shows calls and bytes; a node click filters the page.
/// </summary>
internal static class HtmlTopology
{
    /// <summary>At most this many caller edges per process are drawn; the rest join one "(N other callers)" node per allocator.</summary>
    public const int MaxCallerEdges = 40;

    private const int NodeWidth = 200, NodeHeight = 22, RowGap = 8, ColumnGap = 70, Pad = 12;

    private sealed record Edge(string From, string To, string Kind, long Calls, ulong Bytes, string Tip);

    /// <summary>The process-level graph: processes as circles, IPC requests between them as arrows.</summary>
    public static string ProcessGraph(AnalysisReport r)
    {
        var ipc = r.Edges.Where(e => e.Kind == "ipc").GroupBy(e => (e.Process, Server: e.ToProcess!))
            .Select(g => (g.Key.Process, g.Key.Server, Calls: g.Sum(e => e.Calls), Bytes: g.Aggregate(0UL, (a, e) => a + e.Bytes))).ToList();
        var calls = r.Processes.ToDictionary(p => p.Name, p => p.Calls, StringComparer.Ordinal);
        var names = r.Processes.Where(p => p.Calls > 0).Select(p => p.Name)
            .Concat(ipc.SelectMany(e => new[] { e.Process, e.Server })).Distinct(StringComparer.Ordinal)
            .OrderByDescending(n => calls.GetValueOrDefault(n)).ThenBy(n => n, StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return "<p class=\"note\">No process made a traced call.</p>";
        }
        // The busiest server in the centre, the other servers on an inner ring, the clients on an outer one.
        var served = ipc.GroupBy(e => e.Server).ToDictionary(g => g.Key, g => g.Sum(e => e.Calls), StringComparer.Ordinal);
        var servers = names.Where(served.ContainsKey).OrderByDescending(n => served[n]).ThenBy(n => n, StringComparer.Ordinal).ToList();
        var clients = names.Where(n => !served.ContainsKey(n)).ToList();
        double w = 820, h = names.Count == 1 ? 160 : 560, cx = w / 2, cy = h / 2;
        var at = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        void Ring(List<string> ring, double rx, double ry, double turn)
        {
            for (int i = 0; i < ring.Count; i++)
            {
                double a = -Math.PI / 2 + turn + 2 * Math.PI * i / ring.Count;
                at[ring[i]] = (cx + rx * Math.Cos(a), cy + ry * Math.Sin(a));
            }
        }
        if (servers.Count > 0)
        {
            at[servers[0]] = (cx, cy);
            Ring(servers.Skip(1).ToList(), 150, 110, Math.PI / 7);
            Ring(clients, 370, 240, 0);
        }
        else
        {
            Ring(names, names.Count == 1 ? 0 : 370, names.Count == 1 ? 0 : 240, 0);
        }
        long maxCalls = Math.Max(1, names.Max(n => calls.GetValueOrDefault(n)));
        long maxRequests = Math.Max(1, ipc.Count == 0 ? 1 : ipc.Max(e => e.Calls));
        var sb = new StringBuilder();
        sb.Append($"<svg id=\"process-graph\" viewBox=\"0 0 {F(w)} {F(h)}\" width=\"{F(w)}\" height=\"{F(h)}\" role=\"img\" aria-label=\"processes and the IPC requests between them\">");
        sb.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"11\" markerHeight=\"11\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#2f6fd6\"/></marker></defs>");
        foreach (var (client, server, n, bytes) in ipc.OrderBy(e => e.Calls))
        {
            var (x1, y1) = at[client];
            var (x2, y2) = at[server];
            if (client == server)
            {
                continue; // a process's requests to itself do not occur in MINIX; nothing to draw
            }
            // Bend each arrow to its right, so a pair's two directions do not overlap; stop short of the circle.
            double dx = x2 - x1, dy = y2 - y1, len = Math.Max(1, Math.Sqrt(dx * dx + dy * dy));
            double mx = (x1 + x2) / 2 + dy / len * 30, my = (y1 + y2) / 2 - dx / len * 30;
            double r2 = Radius(calls.GetValueOrDefault(server), maxCalls) + 4;
            double ex = x2 - (x2 - mx) / Math.Max(1, Dist(x2, y2, mx, my)) * r2, ey = y2 - (y2 - my) / Math.Max(1, Dist(x2, y2, mx, my)) * r2;
            double width = 1 + 6 * Math.Log(1 + n) / Math.Log(1 + maxRequests);
            sb.Append($"<path class=\"edge ipc\" data-procs=\"{Procs(new[] { client, server })}\" data-calls=\"{n}\" data-bytes=\"{bytes}\" "
                + $"d=\"M{F(x1)},{F(y1)} Q{F(mx)},{F(my)} {F(ex)},{F(ey)}\" stroke-width=\"{F(width)}\" marker-end=\"url(#arrow)\" "
                + $"data-tip=\"{E($"{client} → {server}\n{N(n)} requests that allocated\n{B(bytes)} allocated by {server} serving them")}\"/>");
        }
        foreach (string name in names)
        {
            var (x, y) = at[name];
            long c = calls.GetValueOrDefault(name);
            double rad = Radius(c, maxCalls);
            long sent = ipc.Where(e => e.Process == name).Sum(e => e.Calls), serving = ipc.Where(e => e.Server == name).Sum(e => e.Calls);
            sb.Append($"<g class=\"pnode\" data-proc=\"{E(name)}\" data-tip=\"{E($"{name}\n{N(c)} traced calls\n{N(sent)} allocating requests sent, {N(serving)} served\nclick: show only {name}")}\">"
                + $"<circle cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"{F(rad)}\"/><text x=\"{F(x)}\" y=\"{F(y + rad + 13)}\" text-anchor=\"middle\">{E(Cut(name, 18))}</text></g>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static double Dist(double x1, double y1, double x2, double y2) => Math.Sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));

    private static double Radius(long calls, long max) => 8 + 18 * Math.Log(1 + calls) / Math.Log(1 + max);

    /// <summary>One layered graph per process that has edges.</summary>
    public static string ProcessPanels(AnalysisReport r)
    {
        var sb = new StringBuilder();
        var processes = r.Edges.SelectMany(e => e.Kind == "ipc" ? new[] { e.Process, e.ToProcess! } : new[] { e.Process })
            .Distinct(StringComparer.Ordinal).ToList();
        var order = r.Processes.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        foreach (string p in processes.OrderBy(p => order.GetValueOrDefault(p, int.MaxValue)).ThenBy(p => p, StringComparer.Ordinal))
        {
            List<Edge> edges = EdgesOf(r, p);
            if (edges.Count == 0)
            {
                continue;
            }
            sb.Append($"<div class=\"graph proc-graph\" data-procs=\"{Procs(new[] { p })}\" data-graph=\"{E(p)}\"><h3>{E(p)}</h3>");
            sb.Append(Layered(p, edges));
            sb.Append("</div>\n");
        }
        return sb.ToString();
    }

    private static List<Edge> EdgesOf(AnalysisReport r, string p)
    {
        var inside = r.Edges.Where(e => e.Process == p && e.Kind is "call" or "serves").OrderByDescending(e => e.Calls).ThenBy(e => e.From, StringComparer.Ordinal).ToList();
        var edges = new List<Edge>();
        foreach (TopologyEdge e in inside.Take(MaxCallerEdges))
        {
            string how = e.Kind == "serves" ? "while serving requests, under handler" : "called from";
            edges.Add(new Edge(e.From, e.To, e.Kind, e.Calls, e.Bytes, $"{e.To} {how} {e.From}\n{N(e.Calls)} calls, {B(e.Bytes)}"));
        }
        foreach (var g in inside.Skip(MaxCallerEdges).GroupBy(e => e.To, StringComparer.Ordinal))
        {
            long c = g.Sum(e => e.Calls);
            ulong b = g.Aggregate(0UL, (a, e) => a + e.Bytes);
            edges.Add(new Edge($"({g.Count()} other callers)", g.Key, "call", c, b, $"{g.Key} from {g.Count()} more callers\n{N(c)} calls, {B(b)}"));
        }
        foreach (TopologyEdge e in r.Edges.Where(e => e.Process == p && e.Kind == "nested"))
        {
            edges.Add(new Edge(e.From, e.To, "nested", e.Calls, e.Bytes, $"{e.From} => {e.To} (inside its calls)\n{N(e.Calls)} calls, {B(e.Bytes)}"));
        }
        // Requests that made this process allocate, by client and handler; requests this process's allocators sent, by server.
        foreach (var g in r.Edges.Where(e => e.Kind == "ipc" && e.ToProcess == p && e.To.Length > 0).GroupBy(e => (e.Process, e.To)))
        {
            long c = g.Sum(e => e.Calls);
            ulong b = g.Aggregate(0UL, (a, e) => a + e.Bytes);
            edges.Add(new Edge("ipc:" + g.Key.Process, g.Key.To, "ipc", c, b,
                $"{g.Key.Process} → {p}: {g.Key.To}\n{N(c)} requests ({string.Join(", ", g.Select(e => e.Message).Distinct().Take(4))})\n{B(b)} allocated serving them"));
        }
        foreach (var g in r.Edges.Where(e => e.Kind == "ipc" && e.Process == p && e.From.Length > 0).GroupBy(e => (Innermost: e.From[(e.From.LastIndexOf(' ') + 1)..], Server: e.ToProcess!)))
        {
            long c = g.Sum(e => e.Calls);
            ulong b = g.Aggregate(0UL, (a, e) => a + e.Bytes);
            edges.Add(new Edge(g.Key.Innermost, "ipc:" + g.Key.Server, "ipc", c, b,
                $"{p}: {g.Key.Innermost} → {g.Key.Server}\n{N(c)} requests ({string.Join(", ", g.Select(e => e.Message).Distinct().Take(4))})\n{B(b)} allocated by {g.Key.Server} serving them"));
        }
        return edges;
    }

    private static string Layered(string process, List<Edge> edges)
    {
        var nodes = edges.SelectMany(e => new[] { e.From, e.To }).Distinct(StringComparer.Ordinal).ToList();
        var layer = nodes.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        foreach (Edge e in edges.Where(e => e.Kind is "call" or "serves"))
        {
            layer[e.To] = Math.Max(layer[e.To], 1);
        }
        // Nested calls and outgoing requests go one column right of their parent; a few passes settle chains (bounded, so a recursive pair cannot loop).
        for (int pass = 0; pass < 4; pass++)
        {
            foreach (Edge e in edges.Where(e => e.Kind == "nested" || (e.Kind == "ipc" && e.To.StartsWith("ipc:", StringComparison.Ordinal))))
            {
                layer[e.To] = Math.Min(5, Math.Max(layer[e.To], layer[e.From] + 1));
            }
        }
        foreach (Edge e in edges.Where(e => e.Kind == "ipc" && e.From.StartsWith("ipc:", StringComparison.Ordinal)))
        {
            layer[e.From] = -1; // a client that made this server work: left of the handlers
        }
        int min = layer.Values.Min();
        foreach (string n in nodes)
        {
            layer[n] -= min;
        }
        var weight = nodes.ToDictionary(n => n, n => edges.Where(e => e.From == n || e.To == n).Sum(e => e.Calls), StringComparer.Ordinal);
        int columns = layer.Values.Max() + 1;
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var byLayer = Enumerable.Range(0, columns).Select(l => nodes.Where(n => layer[n] == l).ToList()).ToList();
        // The allocator column (1 after the shift, or the widest) is ordered by traffic; the others by the mean row of their neighbours.
        int pivot = byLayer.Select((l, i) => (l.Count, i)).Where(x => x.Count > 0).OrderByDescending(x => x.i == 1 - min ? 1 : 0).First().i;
        Place(byLayer[pivot].OrderByDescending(n => weight[n]).ThenBy(n => n, StringComparer.Ordinal));
        for (int l = pivot + 1; l < columns; l++)
        {
            Place(Barycentre(byLayer[l]));
        }
        for (int l = pivot - 1; l >= 0; l--)
        {
            Place(Barycentre(byLayer[l]));
        }
        void Place(IEnumerable<string> column)
        {
            int i = 0;
            foreach (string n in column)
            {
                rows[n] = i++;
            }
        }
        IEnumerable<string> Barycentre(List<string> column) => column
            .OrderBy(n => edges.Where(e => (e.From == n && rows.ContainsKey(e.To)) || (e.To == n && rows.ContainsKey(e.From)))
                .Select(e => (double)rows[e.From == n ? e.To : e.From]).DefaultIfEmpty(1e9).Average())
            .ThenByDescending(n => weight[n]).ThenBy(n => n, StringComparer.Ordinal);

        int maxRows = byLayer.Max(l => l.Count);
        double w = Pad * 2 + columns * NodeWidth + (columns - 1) * ColumnGap, h = Pad * 2 + maxRows * (NodeHeight + RowGap);
        (double X, double Y) At(string n)
        {
            int l = layer[n];
            // Columns with fewer nodes are centred vertically.
            double offset = (maxRows - byLayer[l].Count) * (NodeHeight + RowGap) / 2.0;
            return (Pad + l * (NodeWidth + ColumnGap), Pad + offset + rows[n] * (NodeHeight + RowGap));
        }
        long maxCalls = Math.Max(1, edges.Max(e => e.Calls));
        var sb = new StringBuilder();
        sb.Append($"<svg viewBox=\"0 0 {F(w)} {F(h)}\" width=\"{F(w)}\" height=\"{F(h)}\" role=\"img\" aria-label=\"{E(process)}: callers, allocators, backends\">");
        foreach (Edge e in edges.OrderByDescending(e => e.Calls))
        {
            var (x1, y1) = At(e.From);
            var (x2, y2) = At(e.To);
            double sx = x1 + NodeWidth, sy = y1 + NodeHeight / 2.0, tx = x2, ty = y2 + NodeHeight / 2.0;
            if (layer[e.To] <= layer[e.From])
            {
                // A call to the same column or back (recursion): a loop out to the right.
                tx = x2 + NodeWidth;
                sb.Append(EdgePath(e, $"M{F(sx)},{F(sy)} C{F(sx + 50)},{F(sy)} {F(tx + 50)},{F(ty)} {F(tx)},{F(ty)}", maxCalls));
                continue;
            }
            double mid = (sx + tx) / 2;
            sb.Append(EdgePath(e, $"M{F(sx)},{F(sy)} C{F(mid)},{F(sy)} {F(mid)},{F(ty)} {F(tx)},{F(ty)}", maxCalls));
        }
        foreach (string n in nodes)
        {
            var (x, y) = At(n);
            bool ipc = n.StartsWith("ipc:", StringComparison.Ordinal);
            string label = ipc ? $"⇄ {n[4..]}" : n;
            long into = edges.Where(e => e.To == n).Sum(e => e.Calls), outOf = edges.Where(e => e.From == n).Sum(e => e.Calls);
            string tip = ipc ? $"process {n[4..]}\nclick: show only {n[4..]}" : $"{n}\n{N(into)} calls in, {N(outOf)} calls out\nclick: filter the allocator table";
            string cls = ipc ? "node l3 ipcnode" : $"node l{Math.Min(layer[n] + min, 2)}";
            string attr = ipc ? $"data-proc-link=\"{E(n[4..])}\"" : $"data-name=\"{E(n)}\"";
            sb.Append($"<g class=\"{cls}\" {attr} data-tip=\"{E(tip)}\"><rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"4\"/>"
                + $"<text x=\"{F(x + 6)}\" y=\"{F(y + 15)}\">{E(Cut(label, 27))}</text></g>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string EdgePath(Edge e, string d, long maxCalls)
    {
        double width = 1 + 7 * Math.Log(1 + e.Calls) / Math.Log(1 + maxCalls);
        return $"<path class=\"edge {e.Kind}\" d=\"{d}\" stroke-width=\"{F(width)}\" data-calls=\"{e.Calls}\" data-bytes=\"{e.Bytes}\" data-tip=\"{E(e.Tip)}\"/>";
    }
}
