using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>The analyzer's outputs: JSON report, Graphviz DOT (SVG: <see cref="GraphvizSvg"/>), folded stacks, Chrome trace events, text, and a JSONL export of the trace.</summary>
public static class ReportWriters
{
    /// <summary>Every format name the analyze verb accepts.</summary>
    public static readonly string[] Formats = { "json", "dot", "svg", "folded", "perfetto", "text", "md", "html", "jsonl", "parquet" };

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON report.</summary>
    public static string Json(AnalysisReport r) => JsonSerializer.Serialize(r, s_json);

    /// <summary>
    /// The topology as a Graphviz digraph, one cluster per process: call edges solid, nested
    /// edges dashed, "serves" edges (a request handler to the allocators it called) dotted, and
    /// the cross-process IPC edges bold between clusters, from the client's innermost traced
    /// call (or the client itself) to the server's request handler.
    /// </summary>
    public static string Dot(AnalysisReport r)
    {
        var sb = new StringBuilder("digraph allocations {\n  rankdir=LR;\n  compound=true;\n  node [shape=box, fontname=\"monospace\"];\n");
        int cluster = 0;
        var nodes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal); // process -> node labels
        void Node(string process, string label)
        {
            if (!nodes.TryGetValue(process, out var set))
            {
                nodes[process] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(label);
        }
        foreach (TopologyEdge e in r.Edges)
        {
            if (e.Kind == "ipc")
            {
                Node(e.Process, IpcClientNode(e));
                Node(e.ToProcess!, IpcServerNode(e));
            }
            else
            {
                Node(e.Process, e.From);
                Node(e.Process, e.To);
            }
        }
        foreach (var (process, labels) in nodes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append($"  subgraph cluster_{cluster++} {{\n    label=\"{Esc(process)}\";\n");
            foreach (string label in labels.Order(StringComparer.Ordinal))
            {
                sb.Append($"    \"{Esc($"{process}::{label}")}\" [label=\"{Esc(label)}\"];\n");
            }
            foreach (TopologyEdge e in r.Edges.Where(e => e.Process == process && e.Kind != "ipc"))
            {
                string style = e.Kind switch { "nested" => ", style=dashed", "serves" => ", style=dotted", _ => "" };
                sb.Append($"    \"{Esc($"{process}::{e.From}")}\" -> \"{Esc($"{process}::{e.To}")}\" [label=\"{e.Calls} calls, {e.Bytes} B\"{style}];\n");
            }
            sb.Append("  }\n");
        }
        foreach (TopologyEdge e in r.Edges.Where(e => e.Kind == "ipc"))
        {
            sb.Append($"  \"{Esc($"{e.Process}::{IpcClientNode(e)}")}\" -> \"{Esc($"{e.ToProcess}::{IpcServerNode(e)}")}\" "
                + $"[label=\"IPC {Esc(e.Message ?? "")}: {e.Calls} requests, {e.Bytes} B\", style=bold, color=blue];\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string IpcClientNode(TopologyEdge e) => e.From.Length == 0 ? "(no traced call)" : e.From[(e.From.LastIndexOf(' ') + 1)..];

    private static string IpcServerNode(TopologyEdge e) => e.To.Length == 0 ? "(no traced call)" : e.To;

    /// <summary>An edge as the text summary and the Markdown report print it.</summary>
    public static string Describe(TopologyEdge e) => e.Kind switch
    {
        "ipc" => $"{e.Process}: {(e.From.Length == 0 ? "(no traced call)" : e.From)} --IPC {e.Message}--> {e.ToProcess}: {(e.To.Length == 0 ? "(no traced call)" : e.To)}",
        "serves" => $"{e.Process}: {e.From} ... => {e.To}",
        "nested" => $"{e.Process}: {e.From} => {e.To}",
        _ => $"{e.Process}: {e.From} -> {e.To}",
    };

    private static string Esc(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>
    /// Folded stacks (Brendan Gregg's flamegraph.pl, speedscope): one line per distinct stack,
    /// "process;outer;...;caller;allocator bytes", the bytes of the outermost allocations made
    /// through that stack. Both tools read a line as everything before its last space (the frames,
    /// split at ';') and a decimal count after it, so each frame passes through <see cref="FoldedFrame"/>.
    /// </summary>
    public static string Folded(TraceFile t)
    {
        var counts = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        foreach (TraceCall c in t.Calls)
        {
            TraceFunction f = t.Functions[c.Function];
            if (c.Parent >= 0 || !f.Role.Allocates())
            {
                continue;
            }
            var frames = new List<string> { t.Processes[c.Process].Name };
            for (int i = c.Stack.Length - 1; i >= 0; i--)
            {
                frames.Add(c.Stack[i].Function);
            }
            frames.Add(f.Name);
            string key = string.Join(';', frames.Select(FoldedFrame));
            counts[key] = counts.GetValueOrDefault(key) + c.Size;
        }
        var sb = new StringBuilder();
        foreach (var (k, v) in counts)
        {
            sb.Append(k).Append(' ').Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// A name as a folded-stack frame: ';' (the frame separator) becomes ',', white space and
    /// other control characters (the count's separator, line ends) '_', and an empty name '?'.
    /// </summary>
    public static string FoldedFrame(string name)
    {
        if (name.Length == 0)
        {
            return "?";
        }
        return string.Create(name.Length, name, static (span, n) =>
        {
            for (int i = 0; i < n.Length; i++)
            {
                char ch = n[i];
                span[i] = ch == ';' ? ',' : char.IsWhiteSpace(ch) || char.IsControl(ch) ? '_' : ch;
            }
        });
    }

    /// <summary>
    /// Chrome trace-event JSON (the Trace Event Format: Perfetto, chrome://tracing): a complete
    /// ("X") event per call on its process's track, in entry order (so timestamps rise on each
    /// track and a nested call lies inside its parent), and a counter ("C") of live bytes on a
    /// track of its own. Every event has name, ph, ts, pid and tid.
    /// </summary>
    public static string Chrome(TraceFile t, AnalysisReport r)
    {
        double us = 1e6 / Math.Max(1, t.Header.TicksPerSecond);
        int heapPid = t.Processes.Count == 0 ? 0 : t.Processes.Keys.Max() + 1; // not a process of the trace
        var events = new List<object>();
        foreach (TraceProcess p in t.Processes.Values)
        {
            events.Add(new { name = "process_name", ph = "M", ts = 0, pid = p.Id, tid = 1, args = new { name = p.Name } });
        }
        events.Add(new { name = "process_name", ph = "M", ts = 0, pid = heapPid, tid = 1, args = new { name = "live heap" } });
        foreach (TraceCall c in t.Calls.OrderBy(c => c.Entry).ThenBy(c => c.Id))
        {
            TraceFunction f = t.Functions[c.Function];
            events.Add(new
            {
                name = f.Name,
                cat = f.Family,
                ph = "X",
                ts = c.Entry * us,
                dur = Math.Max(0, (double)(c.Exit - c.Entry) * us),
                pid = c.Process,
                tid = 1,
                args = new { size = c.Size, pointer = $"0x{c.Pointer:x}", result = $"0x{c.Result:x}", caller = c.Caller.Symbol, returned = c.Returned },
            });
        }
        foreach (LivePoint p in r.Live.Series)
        {
            events.Add(new { name = "live bytes", ph = "C", ts = p.Time * us, pid = heapPid, tid = 1, args = new { bytes = p.Bytes } });
        }
        return JsonSerializer.Serialize(new { traceEvents = events, displayTimeUnit = "ns" }, s_json);
    }

    /// <summary>One JSON object per call.</summary>
    public static void Jsonl(TraceFile t, TextWriter w)
    {
        var opts = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (TraceCall c in t.Calls)
        {
            TraceFunction f = t.Functions[c.Function];
            w.WriteLine(JsonSerializer.Serialize(new
            {
                id = c.Id,
                parent = c.Parent,
                function = f.Name,
                image = f.Image,
                role = f.Role.ToString(),
                family = f.Family,
                process = t.Processes[c.Process].Name,
                cr3 = $"0x{t.Processes[c.Process].Cr3:x}",
                entry = c.Entry,
                exit = c.Exit,
                returned = c.Returned,
                args = c.Args.Select(a => $"0x{a:x}"),
                size = c.Size,
                pointer = $"0x{c.Pointer:x}",
                result = $"0x{c.Result:x}",
                caller = c.Caller.Symbol,
                stack = c.Stack.Select(s => s.Symbol.Length > 0 ? s.Symbol : $"0x{s.Address:x8}"),
            }, opts));
        }
    }

    /// <summary>A readable summary.</summary>
    public static string Text(AnalysisReport r)
    {
        var sb = new StringBuilder();
        sb.Append($"trace: profile {r.Trace.Profile}, {r.Trace.Calls} calls ({r.Trace.UnreturnedCalls} unreturned), {r.Trace.GuestSeconds:0.000000} guest s\n");
        sb.Append($"processes: {string.Join(", ", r.Trace.Processes)}\n\n");
        if (r.Redundancy.Processes.Count > 0)
        {
            sb.Append($"redundancy factor: {r.Redundancy.ByCalls:0.000} by calls, {r.Redundancy.ByBytes:0.000} by bytes ({r.Redundancy.Definition})\n\n");
        }
        sb.Append($"{"allocator",-18} {"image",-10} {"family",-10} {"calls",7} {"bytes",10}  lifetimes / threading\n");
        foreach (AllocatorStats a in r.Allocators)
        {
            string life = string.Join(" ", a.Lifetimes.Select(kv => $"{kv.Key}={kv.Value}"));
            sb.Append($"{a.Name,-18} {a.Image,-10} {a.Family,-10} {a.Calls,7} {a.Bytes,10}  {life}{(a.LockCalls > 0 ? $" [{a.ThreadingModel}]" : "")}\n");
        }
        sb.Append("\ntopology (process: from -> to, calls, bytes):\n");
        foreach (TopologyEdge e in r.Edges.Where(e => e.Kind is "call" or "nested"))
        {
            sb.Append($"  {Describe(e)}  {e.Calls} calls, {e.Bytes} B\n");
        }
        if (r.Edges.Any(e => e.Kind == "ipc"))
        {
            sb.Append($"\ncross-process edges (client: traced calls in progress --IPC message--> server: request handler; requests, bytes the server allocated for them), of {r.Messages.Delivered} messages delivered:\n");
            foreach (TopologyEdge e in r.Edges.Where(e => e.Kind == "ipc").OrderByDescending(e => e.Calls).ThenBy(e => Describe(e), StringComparer.Ordinal))
            {
                sb.Append($"  {Describe(e)}  {e.Calls} requests, {e.Bytes} B\n");
            }
            sb.Append("\nserved requests (server: handler ... => allocator, calls, bytes):\n");
            foreach (TopologyEdge e in r.Edges.Where(e => e.Kind == "serves"))
            {
                sb.Append($"  {Describe(e)}  {e.Calls} calls, {e.Bytes} B\n");
            }
        }
        sb.Append($"\nlive heap: peak {r.Live.PeakBytes} B at tick {r.Live.PeakTime}; at the end {r.Live.FinalBytes} B in {r.Live.FinalBlocks} blocks\n");
        sb.Append($"leaks: {r.Leaks.Count}\n");
        foreach (HeapBlock b in r.Leaks.Take(20))
        {
            sb.Append($"  {b.Process}: {b.Allocator} {b.Size} B at 0x{b.Pointer:x8} from {string.Join(" <- ", b.Stack.Take(4))}\n");
        }
        if (r.Leaks.Count > 20)
        {
            sb.Append($"  ... {r.Leaks.Count - 20} more in the JSON report\n");
        }
        sb.Append($"anomalies: {r.Anomalies.Count}\n");
        foreach (Anomaly a in r.Anomalies)
        {
            sb.Append($"  {a.Kind} in {a.Process}: {a.Function}(0x{a.Pointer:x8}) at tick {a.Time}: {a.Detail}\n");
        }
        return sb.ToString();
    }
}
