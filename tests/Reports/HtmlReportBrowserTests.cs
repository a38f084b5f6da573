using System.Globalization;
using System.Text.Json;
using Minix318Emu.Cli.Commands;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Reports;

/// <summary>
/// The HTML report of the model guest's trace, opened from disk in Debian's Chromium: it loads
/// with no console error and no network request, the numbers in its DOM are the JSON report's,
/// choosing a process (the selector, a click on a process row) changes what is shown, and a
/// screenshot is taken.
/// </summary>
public sealed class HtmlReportBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-html-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Traces the model guest and writes report.json and report.html as `analyze --format json,html` does.</summary>
    private (string Html, JsonElement Json) ModelReport()
    {
        var o = TraceRunner.Run(Path.Combine(_dir, "t.m318"));
        AnalyzeCommand.WriteReports(TraceReader.Read(o.TracePath), _dir, new[] { "json", "html" }, out _);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "report.json")));
        return (Path.Combine(_dir, "report.html"), doc.RootElement.Clone());
    }

    private static Task<int> Visible(Browser b, string selector) =>
        b.Page.EvalOnSelectorAllAsync<int>(selector, "els => els.filter(e => getComputedStyle(e).display !== 'none').length");

    [SkippableFact]
    public async Task ModelGuestReport_LoadsOffline_NumbersEqualTheJson_FiltersByProcess()
    {
        var (html, json) = ModelReport();
        await using Browser b = await Browser.Start();
        await b.Open(html);
        await b.Page.WaitForSelectorAsync("body[data-ready='1']");
        Assert.Empty(b.Errors);
        Assert.Empty(b.Network);

        // The summary figures.
        var cards = (await b.Page.EvalOnSelectorAllAsync<string[][]>(".card", "cs => cs.map(c => [c.dataset.k, c.dataset.v, c.querySelector('.v').textContent])"))
            .ToDictionary(c => c[0], c => (Value: c[1], Shown: c[2]));
        Assert.Equal(json.GetProperty("trace").GetProperty("calls").GetInt64().ToString(CultureInfo.InvariantCulture), cards["calls"].Value);
        Assert.Equal("372", cards["calls"].Shown.Replace(" ", ""));
        Assert.Equal(json.GetProperty("live").GetProperty("peakBytes").GetUInt64().ToString(CultureInfo.InvariantCulture), cards["peak"].Value);
        Assert.Equal(json.GetProperty("live").GetProperty("finalBytes").GetUInt64().ToString(CultureInfo.InvariantCulture), cards["final"].Value);
        Assert.Equal(json.GetProperty("leaks").GetArrayLength().ToString(CultureInfo.InvariantCulture), cards["leaks"].Value);
        Assert.Equal(json.GetProperty("anomalies").GetArrayLength().ToString(CultureInfo.InvariantCulture), cards["anomalies"].Value);
        Assert.Equal(json.GetProperty("live").GetProperty("peakBytes").GetUInt64().ToString(CultureInfo.InvariantCulture),
            await b.Page.GetAttributeAsync("#live-peak", "data-bytes"));

        // Every allocator row: calls and bytes (the exact value and the text shown) are the JSON's.
        var rows = (await b.Page.EvalOnSelectorAllAsync<string[][]>("#allocator-table tbody tr",
            "rs => rs.map(r => [r.dataset.key, r.cells[4].dataset.v, r.cells[4].textContent, r.cells[6].dataset.v, r.cells[6].textContent])"))
            .ToDictionary(r => r[0]);
        var allocators = json.GetProperty("allocators").EnumerateArray().ToList();
        Assert.Equal(allocators.Count, rows.Count);
        foreach (JsonElement a in allocators)
        {
            string[] row = rows[$"{a.GetProperty("name").GetString()}@{a.GetProperty("image").GetString()}"];
            string calls = a.GetProperty("calls").GetInt64().ToString(CultureInfo.InvariantCulture), bytes = a.GetProperty("bytes").GetUInt64().ToString(CultureInfo.InvariantCulture);
            Assert.Equal(calls, row[1]);
            Assert.Equal(calls, row[2].Replace(" ", ""));
            Assert.Equal(bytes, row[3]);
            Assert.Equal(bytes, row[4].Replace(" ", ""));
        }
        // The process table: calls and bytes per process.
        foreach (JsonElement p in json.GetProperty("processes").EnumerateArray().Where(p => p.GetProperty("calls").GetInt64() > 0))
        {
            string name = p.GetProperty("name").GetString()!;
            string[] cells = await b.Page.EvalOnSelectorAllAsync<string[]>($"#process-table tr[data-proc='{name}'] td", "ts => ts.map(t => t.dataset.v || t.textContent)");
            Assert.Equal(p.GetProperty("calls").GetInt64().ToString(CultureInfo.InvariantCulture), cells[2]);
            Assert.Equal(p.GetProperty("bytes").GetUInt64().ToString(CultureInfo.InvariantCulture), cells[3]);
        }

        // Filtering by process: prog_ucb uses only its own malloc family, so most allocator rows and every other process's graph disappear.
        int allRows = await Visible(b, "#allocator-table tbody tr");
        Assert.Equal(allocators.Count, allRows);
        Assert.Equal(4, await Visible(b, ".proc-graph")); // kernel, prog_a, prog_b, prog_ucb
        await b.Page.SelectOptionAsync("#proc", "prog_ucb");
        int ucbRows = await Visible(b, "#allocator-table tbody tr");
        int expected = allocators.Count(a => a.GetProperty("callsByProcess").TryGetProperty("prog_ucb", out _));
        Assert.Equal(expected, ucbRows);
        Assert.InRange(ucbRows, 1, allRows - 1);
        Assert.Equal(1, await Visible(b, ".proc-graph"));
        Assert.Equal("prog_ucb", await b.Page.EvalOnSelectorAllAsync<string>(".proc-graph", "gs => gs.find(g => getComputedStyle(g).display !== 'none').dataset.graph"));
        Assert.EndsWith("#proc=prog_ucb", b.Page.Url);
        // A click on a process row chooses it; a second click shows all again.
        await b.Page.ClickAsync("#process-table tr[data-proc='kernel']");
        Assert.Equal("kernel", await b.Page.InputValueAsync("#proc"));
        Assert.Equal(allocators.Count(a => a.GetProperty("callsByProcess").TryGetProperty("kernel", out _)), await Visible(b, "#allocator-table tbody tr"));
        await b.Page.ClickAsync("#process-table tr[data-proc='kernel']");
        Assert.Equal(allRows, await Visible(b, "#allocator-table tbody tr"));
        // Clicking a function in a graph filters the allocator table to it.
        await b.Page.ClickAsync(".proc-graph[data-graph='prog_ucb'] .node[data-name='malloc']");
        Assert.Equal("malloc", await b.Page.InputValueAsync("#q"));
        Assert.Equal(allocators.Count(a => a.GetProperty("name").GetString()!.Contains("malloc", StringComparison.Ordinal)), await Visible(b, "#allocator-table tbody tr"));
        // Sorting by calls puts the busiest allocator first.
        await b.Page.FillAsync("#q", "");
        await b.Page.DispatchEventAsync("#q", "input");
        await b.Page.ClickAsync("#allocator-table th:nth-child(5)");
        string first = await b.Page.EvalOnSelectorAsync<string>("#allocator-table tbody tr", "r => r.cells[4].dataset.v");
        Assert.Equal(allocators.Max(a => a.GetProperty("calls").GetInt64()).ToString(CultureInfo.InvariantCulture), first);
        // Hovering the peak shows its numbers.
        await b.Page.HoverAsync("#live-peak");
        Assert.Contains("peak:", await b.Page.TextContentAsync("#tip"));

        string shot = Path.Combine(_dir, "report.png");
        await b.Page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        byte[] png = File.ReadAllBytes(shot);
        Assert.True(png.Length > 10_000, $"screenshot of {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Empty(b.Errors);
        Assert.Empty(b.Network);
    }

    [SkippableFact]
    public async Task AFilterInTheAddress_AppliesOnLoad()
    {
        var (html, _) = ModelReport();
        await using Browser b = await Browser.Start();
        await b.Open(html, "#proc=prog_a&q=alloc");
        await b.Page.WaitForSelectorAsync("body[data-ready='1']");
        Assert.Equal("prog_a", await b.Page.InputValueAsync("#proc"));
        Assert.Equal(1, await Visible(b, ".proc-graph"));
        string[] shown = await b.Page.EvalOnSelectorAllAsync<string[]>("#allocator-table tbody tr", "rs => rs.filter(r => getComputedStyle(r).display !== 'none').map(r => r.dataset.fn)");
        Assert.NotEmpty(shown);
        Assert.All(shown, f => Assert.Contains("alloc", f, StringComparison.Ordinal));
        Assert.Empty(b.Errors);
    }

    [Fact]
    public void ThePage_StaysBounded_AsTheTraceGrows()
    {
        // Ten times the calls (and leaks, and free pairs) must not make a page ten times larger: the lists are aggregated.
        long[] sizes = { 20_000, 200_000 };
        var bytes = new List<int>();
        foreach (long n in sizes)
        {
            string path = Path.Combine(_dir, $"s{n}.m318");
            TraceBench.Synthesize(path, n);
            AnalysisReport r = TraceAnalyzer.Analyze(TraceReader.Read(path));
            Assert.True(r.Leaks.Count > n / 40, $"{r.Leaks.Count} leaks");
            bytes.Add(HtmlReport.Write(r).Length);
        }
        Assert.True(bytes[1] < bytes[0] * 1.2, $"{bytes[0]} then {bytes[1]} characters");
        Assert.True(bytes[1] < 1_000_000, $"{bytes[1]} characters");
    }

    [Fact]
    public void ThePage_NamesNothingToFetch()
    {
        string path = Path.Combine(_dir, "s.m318");
        TraceBench.Synthesize(path, 2000);
        string html = HtmlReport.Write(TraceAnalyzer.Analyze(TraceReader.Read(path)));
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
    }
}
