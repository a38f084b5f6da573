using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;

namespace Minix318Emu.Tests.Reports;

/// <summary>
/// The rules of the programs that read the analyzer's exports, checked on a report: folded stacks
/// as flamegraph.pl and speedscope parse them, the Chrome trace as the Trace Event Format defines
/// it, and the DOT graph as Graphviz's own `dot` reads it.
/// </summary>
internal static partial class ConsumerFormats
{
    /// <summary>speedscope's line rule (and flamegraph.pl's, for integer counts): the frames, one space, a decimal count.</summary>
    [GeneratedRegex(@"^(.*) (\d+)$")]
    private static partial Regex FoldedLine();

    /// <summary>
    /// Every line is "frame;frame;...;frame count": no empty frame, no ';', white space or control
    /// character inside a frame, the process first and the allocator last; and the counts are the
    /// bytes of the trace's outermost allocating calls.
    /// </summary>
    public static void AssertFolded(string folded, TraceFile t)
    {
        Assert.EndsWith("\n", folded);
        ulong total = 0;
        var processes = t.Processes.Values.Select(p => p.Name).ToHashSet();
        var allocators = t.Functions.Values.Where(f => f.Role.Allocates()).Select(f => f.Name).ToHashSet();
        foreach (string line in folded[..^1].Split('\n'))
        {
            Match m = FoldedLine().Match(line);
            Assert.True(m.Success, $"not 'frames count': {line}");
            string[] frames = m.Groups[1].Value.Split(';');
            Assert.True(frames.Length >= 2, $"fewer than two frames (process and allocator): {line}");
            Assert.All(frames, f => Assert.True(f.Length > 0 && !f.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch)), $"bad frame '{f}' in: {line}"));
            Assert.Contains(frames[0], processes);
            Assert.Contains(frames[^1], allocators);
            total += ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        ulong expected = 0;
        foreach (TraceCall c in t.Calls)
        {
            if (c.Parent < 0 && t.Functions[c.Function].Role.Allocates())
            {
                expected += c.Size;
            }
        }
        Assert.Equal(expected, total);
    }

    /// <summary>
    /// The Trace Event Format (JSON object form): a traceEvents array; every event has a string
    /// name and ph, a number ts and integer pid and tid; X events a dur; B and E balance on each
    /// thread (pid, tid) with each E closing the last open B; ts never goes back on a thread; an X
    /// event on a thread either lies inside the one still open there or starts after it ends.
    /// Returns the number of X events.
    /// </summary>
    public static int AssertTraceEvents(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement root = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        if (root.TryGetProperty("displayTimeUnit", out JsonElement unit))
        {
            Assert.Contains(unit.GetString(), new[] { "ms", "ns" });
        }
        const double eps = 1e-6; // microseconds; ts and dur are tick counts times a fraction
        var lastTs = new Dictionary<(long, long), double>();
        var openB = new Dictionary<(long, long), Stack<string>>();
        var openX = new Dictionary<(long, long), Stack<double>>();
        int x = 0;
        int i = 0;
        foreach (JsonElement e in root.GetProperty("traceEvents").EnumerateArray())
        {
            string where = $"event {i++}: {e.GetRawText()}";
            Assert.True(e.TryGetProperty("name", out JsonElement name) && name.ValueKind == JsonValueKind.String, $"no name: {where}");
            Assert.True(e.TryGetProperty("ph", out JsonElement phEl) && phEl.ValueKind == JsonValueKind.String, $"no ph: {where}");
            Assert.True(e.TryGetProperty("ts", out JsonElement tsEl) && tsEl.ValueKind == JsonValueKind.Number, $"no ts: {where}");
            long p = 0, th = 0;
            Assert.True(e.TryGetProperty("pid", out JsonElement pid) && pid.TryGetInt64(out p), $"no integer pid: {where}");
            Assert.True(e.TryGetProperty("tid", out JsonElement tid) && tid.TryGetInt64(out th), $"no integer tid: {where}");
            string ph = phEl.GetString()!;
            double ts = tsEl.GetDouble();
            Assert.True(ts >= 0, $"negative ts: {where}");
            var thread = (p, th);
            switch (ph)
            {
                case "M":
                    Assert.True(e.GetProperty("args").GetProperty("name").ValueKind == JsonValueKind.String, $"metadata without args.name: {where}");
                    continue; // metadata: no time
                case "X":
                    Assert.True(e.TryGetProperty("dur", out JsonElement dur) && dur.ValueKind == JsonValueKind.Number && dur.GetDouble() >= 0, $"X without a dur: {where}");
                    Stack<double> ends = openX.TryGetValue(thread, out var s) ? s : openX[thread] = new Stack<double>();
                    while (ends.Count > 0 && ends.Peek() <= ts + eps)
                    {
                        ends.Pop();
                    }
                    double end = ts + dur.GetDouble();
                    Assert.True(ends.Count == 0 || end <= ends.Peek() + eps, $"X event overlaps the one open on its thread (ends at {(ends.Count > 0 ? ends.Peek() : 0)}): {where}");
                    ends.Push(end);
                    x++;
                    break;
                case "B":
                    (openB.TryGetValue(thread, out var b) ? b : openB[thread] = new Stack<string>()).Push(name.GetString()!);
                    break;
                case "E":
                    Assert.True(openB.TryGetValue(thread, out var open) && open.Count > 0, $"E with no open B on its thread: {where}");
                    open!.Pop();
                    break;
                case "C":
                    Assert.All(e.GetProperty("args").EnumerateObject(), a => Assert.Equal(JsonValueKind.Number, a.Value.ValueKind));
                    break;
                default:
                    Assert.Fail($"a phase this writer does not use: {where}");
                    break;
            }
            Assert.True(!lastTs.TryGetValue(thread, out double last) || ts >= last, $"ts goes back on thread {thread} (after {lastTs.GetValueOrDefault(thread)}): {where}");
            lastTs[thread] = ts;
        }
        Assert.All(openB, kv => Assert.True(kv.Value.Count == 0, $"B without E on thread {kv.Key}: {string.Join(", ", kv.Value)}"));
        return x;
    }

    /// <summary>
    /// Graphviz's `dot -Tsvg` reads the graph without an error or warning, and draws one node per
    /// node statement and one edge per edge statement (so every quoted name was read as meant).
    /// Skips when `dot` is not installed (`.ci/run` installs graphviz).
    /// </summary>
    public static void AssertDotParses(string dot)
    {
        string? exe = Repo.Which("dot");
        Skip.If(exe is null, "Graphviz's dot is not installed (.ci/run installs graphviz)");
        var psi = new ProcessStartInfo(exe!, "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(dot);
        p.StandardInput.Close();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)), "dot did not finish in 5 minutes");
        Assert.Equal((0, ""), (p.ExitCode, error.Result));
        string svg = output.Result;
        Assert.Contains("<svg", svg);
        string[] lines = dot.Split('\n');
        int nodes = lines.Count(l => l.TrimStart().StartsWith('"') && !l.Contains(" -> ", StringComparison.Ordinal));
        int edges = lines.Count(l => l.Contains(" -> ", StringComparison.Ordinal));
        Assert.True(nodes > 0 && edges > 0, "an empty graph");
        Assert.Equal(nodes, Regex.Count(svg, "<g id=\"node\\d+\" class=\"node\">"));
        Assert.Equal(edges, Regex.Count(svg, "<g id=\"edge\\d+\" class=\"edge\">"));
    }
}
