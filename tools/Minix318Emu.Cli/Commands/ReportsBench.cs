using System.Diagnostics;
using Minix318Emu.Cli.Query;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Export;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// Measures the reports on synthetic traces (<see cref="TraceBench.Synthesize"/>): the HTML
/// report's size for a 1 M-call trace and its load in headless Chromium (when installed), the
/// Parquet export rate, and DuckDB's calls-per-process-and-allocator query over the exported calls.
/// </summary>
public static class ReportsBench
{
    /// <summary>Runs the measurements and prints them.</summary>
    public static void Run(long htmlCalls, long parquetCalls)
    {
        string dir = Directory.CreateTempSubdirectory("minix318emu-reportsbench-").FullName;
        try
        {
            string small = Path.Combine(dir, "html.m318");
            TraceBench.Synthesize(small, htmlCalls);
            AnalysisReport r = TraceAnalyzer.Analyze(TraceReader.Read(small));
            var sw = Stopwatch.StartNew();
            string html = HtmlReport.Write(r);
            double write = sw.Elapsed.TotalSeconds;
            string page = Path.Combine(dir, "report.html");
            File.WriteAllText(page, html);
            long bytes = new FileInfo(page).Length;
            Console.WriteLine($"{"html report",-16} {bytes / 1e6,10:0.00} MB for {htmlCalls / 1e6:0.#} M calls ({r.Leaks.Count} leaks; written in {write:0.00} s)");
            if (File.Exists("/usr/bin/chromium"))
            {
                // The page notes its own navigation-to-load time (data-load-ms); --dump-dom reads it back.
                var loads = Enumerable.Range(0, 3).Select(_ => Chromium(page)).ToList();
                Console.WriteLine($"{"html load",-16} {Median(loads) / 1000,10:0.00} s (navigation to the load event in headless Chromium, median of 3: {string.Join(", ", loads.Select(l => $"{l / 1000:0.00}"))} s)");
            }
            string big = Path.Combine(dir, "big.m318");
            TraceBench.Synthesize(big, parquetCalls);
            TraceFile t = TraceReader.Read(big);
            string pq = Path.Combine(dir, "pq");
            TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            sw.Restart();
            var phases = new ParquetExportPhases();
            long rows = ParquetExport.Write(t, pq, phases);
            double export = sw.Elapsed.TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            long size = Directory.EnumerateFiles(pq).Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"{"parquet export",-16} {rows / export,10:0} calls/s ({rows / 1e6:0.#} M calls in {export:0.00} s wall, {cpu:0.00} s CPU; {size / 1e6:0.0} MB; on {Environment.ProcessorCount} cores, load average {LoadAverage()})");
            Console.WriteLine($"{"  phases",-16} fill {phases.Fill.TotalSeconds:0.00} s (columns from the calls, one thread), encode {phases.Encode.TotalSeconds:0.00} s (dictionaries, Snappy; all cores), write {phases.Write.TotalSeconds:0.00} s ({phases.CallsBytes / 1e6:0.0} MB), small tables {phases.Tables.TotalSeconds:0.00} s");
            t = null!;
            GC.Collect();
            const string sql = "SELECT process, function, image, count(*) AS calls, sum(size) AS bytes FROM calls GROUP BY process, function, image";
            var times = new List<double>();
            for (int i = 0; i < 3; i++)
            {
                sw.Restart();
                using var db = TraceDatabase.Open(pq);
                db.Rows(sql);
                times.Add(sw.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"{"query",-16} {Median(times),10:0.00} s (calls and bytes per process and allocator over {rows / 1e6:0.#} M calls, DuckDB on the Parquet files; median of 3)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The 1-minute load average (Linux), or "?" elsewhere: a wall time means little without it on a shared machine.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v[v.Count / 2];
    }

    /// <summary>Milliseconds from navigation to the load event, as the page recorded it.</summary>
    private static double Chromium(string page)
    {
        var psi = new ProcessStartInfo("/usr/bin/chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", new Uri(page).AbsoluteUri })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        _ = e.Result;
        const string key = "data-load-ms=\"";
        string dom = o.Result;
        int at = dom.IndexOf(key, StringComparison.Ordinal);
        return at < 0 ? double.NaN : double.Parse(dom.AsSpan(at + key.Length, dom.IndexOf('"', at + key.Length) - at - key.Length), System.Globalization.CultureInfo.InvariantCulture);
    }
}
