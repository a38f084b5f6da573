using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>The analyzer's outputs: JSON report, Graphviz DOT (and SVG when dot is installed), folded stacks, Chrome trace events, text, and a JSONL export of the trace.</summary>
public static class ReportWriters
{
    /// <summary>Every format name the analyze verb accepts.</summary>
    public static readonly string[] Formats = { "json", "dot", "svg", "folded", "perfetto", "text", "jsonl" };

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON report.</summary>
    public static string Json(AnalysisReport r) => JsonSerializer.Serialize(r, s_json);

    /// <summary>The topology as a Graphviz digraph, one cluster per process.</summary>
    public static string Dot(AnalysisReport r)
    {
        var sb = new StringBuilder("digraph allocations {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
        int cluster = 0;
        foreach (var group in r.Edges.GroupBy(e => e.Process))
        {
            sb.Append($"  subgraph cluster_{cluster++} {{\n    label=\"{Esc(group.Key)}\";\n");
            foreach (TopologyEdge e in group)
            {
                string from = $"{group.Key}::{e.From}", to = $"{group.Key}::{e.To}";
                sb.Append($"    \"{Esc(from)}\" [label=\"{Esc(e.From)}\"];\n    \"{Esc(to)}\" [label=\"{Esc(e.To)}\"];\n");
                sb.Append($"    \"{Esc(from)}\" -> \"{Esc(to)}\" [label=\"{e.Calls} calls, {e.Bytes} B\"{(e.Kind == "nested" ? ", style=dashed" : "")}];\n");
            }
            sb.Append("  }\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Esc(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>Renders DOT to SVG with Graphviz; false (and no file) when dot is not installed.</summary>
    public static bool TrySvg(string dot, string path)
    {
        try
        {
            var psi = new ProcessStartInfo("dot", "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null)
            {
                return false;
            }
            var output = p.StandardOutput.ReadToEndAsync();
            p.StandardInput.Write(dot);
            p.StandardInput.Close();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                return false;
            }
            File.WriteAllText(path, output.Result);
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Folded stacks (flamegraph.pl, speedscope): "process;outer;...;caller;allocator bytes" per outermost allocation.</summary>
    public static string Folded(TraceFile t)
    {
        var counts = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        foreach (TraceCall c in t.Calls)
        {
            TraceFunction f = t.Functions[c.Function];
            if (c.Parent >= 0 || f.Role is not (Profiles.AllocatorRole.Alloc or Profiles.AllocatorRole.ZoneAlloc or Profiles.AllocatorRole.MapAlloc or Profiles.AllocatorRole.Realloc or Profiles.AllocatorRole.Backend))
            {
                continue;
            }
            var frames = new List<string> { t.Processes[c.Process].Name };
            for (int i = c.Stack.Length - 1; i >= 0; i--)
            {
                frames.Add(c.Stack[i].Function);
            }
            frames.Add(f.Name);
            string key = string.Join(';', frames.Select(x => x.Replace(';', ',').Replace(' ', '_')));
            counts[key] = counts.GetValueOrDefault(key) + c.Size;
        }
        var sb = new StringBuilder();
        foreach (var (k, v) in counts)
        {
            sb.Append(k).Append(' ').Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Chrome trace-event JSON (Perfetto, chrome://tracing): a complete event per call, a counter for live bytes.</summary>
    public static string Chrome(TraceFile t, AnalysisReport r)
    {
        double us = 1e6 / Math.Max(1, t.Header.TicksPerSecond);
        var events = new List<object>();
        foreach (TraceProcess p in t.Processes.Values)
        {
            events.Add(new { name = "process_name", ph = "M", pid = p.Id, tid = 1, args = new { name = p.Name } });
        }
        foreach (TraceCall c in t.Calls)
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
            events.Add(new { name = "live bytes", ph = "C", ts = p.Time * us, pid = 0, args = new { bytes = p.Bytes } });
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
        sb.Append($"{"allocator",-18} {"image",-10} {"family",-10} {"calls",7} {"bytes",10}  lifetimes / threading\n");
        foreach (AllocatorStats a in r.Allocators)
        {
            string life = string.Join(" ", a.Lifetimes.Select(kv => $"{kv.Key}={kv.Value}"));
            sb.Append($"{a.Name,-18} {a.Image,-10} {a.Family,-10} {a.Calls,7} {a.Bytes,10}  {life}{(a.LockCalls > 0 ? $" [{a.ThreadingModel}]" : "")}\n");
        }
        sb.Append("\ntopology (process: from -> to, calls, bytes):\n");
        foreach (TopologyEdge e in r.Edges)
        {
            sb.Append($"  {e.Process}: {e.From} {(e.Kind == "nested" ? "=>" : "->")} {e.To}  {e.Calls} calls, {e.Bytes} B\n");
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
