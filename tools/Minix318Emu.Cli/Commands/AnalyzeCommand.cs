using System.Diagnostics;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;
using Minix318Emu.Cli.Progress;
using Minix318Emu.Tracing;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Export;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Cli.Commands;

/// <summary>`analyze`: reads a trace and writes the requested reports; prints the text summary.</summary>
public static class AnalyzeCommand
{
    /// <summary>The default formats.</summary>
    public const string DefaultFormats = "json,dot,svg,folded,perfetto,text,md,html";

    /// <summary>Runs the verb.</summary>
    public static int Execute(AnalyzeOptions o)
    {
        Logging.Configure(o.LogLevel ?? "warning");
        if (o.Trace.Trim().Length == 0)
        {
            throw new UsageException("analyze: no trace file named (analyze TRACE)");
        }
        string[] formats = ParseFormats(o.Format ?? DefaultFormats);
        if (o.Format is not null && formats.Contains("svg") && GraphvizSvg.FindDot() is null)
        {
            // Asked for by name: refuse before any work. Among the default formats it is only skipped, with a warning.
            throw new UsageException($"--format svg: {GraphvizSvg.NotInstalled}");
        }
        string dir = OutputFolder.Create("--out-dir", o.OutDir ?? Path.GetDirectoryName(Path.GetFullPath(o.Trace)) ?? ".");
        TraceFile trace;
        string summary;
        using (var phase = PhaseLine.Start(Terminal.Open(o.Quiet), "analyze"))
        {
            // Counted only when drawn: without a terminal no one reads the counts.
            WorkProgress? progress = phase is null ? null : new WorkProgress();
            if (phase is not null)
            {
                phase.Set($"reading {o.Trace}", progress!);
            }
            try
            {
                trace = o.Salvage ? TraceReader.ReadReadablePrefix(o.Trace, progress) : TraceReader.Read(o.Trace, progress);
            }
            catch (TraceFormatException e)
            {
                throw new UsageException(e.Message);
            }
            if (trace.Damage is not null)
            {
                Console.Error.WriteLine($"minix318emu: --salvage: {trace.Damage}");
            }
            summary = WriteReports(trace, dir, formats, out _, phase);
        }
        Console.Write(summary);
        return 0;
    }

    /// <summary>Validates a comma-separated format list.</summary>
    public static string[] ParseFormats(string text)
    {
        string[] f = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string x in f)
        {
            if (!ReportWriters.Formats.Contains(x))
            {
                throw new UsageException($"--format '{x}': expected some of {string.Join(", ", ReportWriters.Formats)}");
            }
        }
        return f;
    }

    /// <summary>
    /// Analyses and writes the reports; returns the text summary and how long the analysis took.
    /// Each report is written whole under a temporary name and renamed into place
    /// (<see cref="AtomicFile"/>): an interrupted analyze leaves no half-written report.
    /// </summary>
    public static string WriteReports(TraceFile trace, string dir, string[] formats, out TimeSpan analysisTime, PhaseLine? phase = null)
    {
        Directory.CreateDirectory(dir);
        WorkProgress? progress = phase is null ? null : new WorkProgress();
        if (phase is not null)
        {
            phase.Set($"analysing {trace.Calls.Count:N0} calls and {trace.Messages.Count:N0} messages", progress!);
        }
        var sw = Stopwatch.StartNew();
        AnalysisReport report = TraceAnalyzer.Analyze(trace, progress);
        analysisTime = sw.Elapsed;
        string text = ReportWriters.Text(report);
        string dot = ReportWriters.Dot(report);
        for (int i = 0; i < formats.Length; i++)
        {
            string f = formats[i];
            if (phase is not null && f == "parquet")
            {
                phase.Set($"writing {f} ({i + 1} of {formats.Length})", progress!);
            }
            else
            {
                phase?.Set($"writing {f} ({i + 1} of {formats.Length})");
            }
            switch (f)
            {
                case "json": AtomicFile.WriteAllText(Path.Combine(dir, "report.json"), ReportWriters.Json(report)); break;
                case "dot": AtomicFile.WriteAllText(Path.Combine(dir, "topology.dot"), dot); break;
                case "svg":
                    string why = "";
                    if (!AtomicFile.Write(Path.Combine(dir, "topology.svg"), p => GraphvizSvg.TryRender(dot, p, out why)))
                    {
                        Console.Error.WriteLine($"minix318emu: topology.svg not written: {why}");
                    }
                    break;
                case "folded": AtomicFile.WriteAllText(Path.Combine(dir, "allocations.folded"), ReportWriters.Folded(trace)); break;
                case "perfetto": AtomicFile.WriteAllText(Path.Combine(dir, "timeline.json"), ReportWriters.Chrome(trace, report)); break;
                case "text": AtomicFile.WriteAllText(Path.Combine(dir, "summary.txt"), text); break;
                case "md": AtomicFile.WriteAllText(Path.Combine(dir, "report.md"), MarkdownReport.Write(report)); break;
                case "html": AtomicFile.WriteAllText(Path.Combine(dir, "report.html"), HtmlReport.Write(report)); break;
                case "parquet": ParquetExport.Write(trace, dir, null, progress); break;
                case "jsonl":
                    AtomicFile.Write(Path.Combine(dir, "trace.jsonl"), p =>
                    {
                        using var w = new StreamWriter(p);
                        ReportWriters.Jsonl(trace, w);
                        return true;
                    });
                    break;
            }
        }
        return text;
    }
}
