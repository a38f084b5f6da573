using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>`minix318emu analyze`: turn a trace into reports.</summary>
[Verb("analyze", HelpText = "Analyse a trace file into reports.")]
public sealed class AnalyzeOptions
{
    [Value(0, MetaName = "TRACE", Required = true, HelpText = "The trace file.")]
    public string Trace { get; set; } = "";

    [Option("format", HelpText = "Comma-separated: json, dot, svg, folded, perfetto, text, md, html, jsonl, parquet (calls.parquet, stacks.parquet, processes.parquet) (default json,dot,svg,folded,perfetto,text,md,html).")]
    public string? Format { get; set; }

    [Option("salvage", HelpText = "Analyse the complete blocks of a damaged or unfinished trace (a killed writer, a full disk); says on stderr what was lost.")]
    public bool Salvage { get; set; }

    [Option("out-dir", HelpText = "Folder for the reports (default: the trace's folder).")]
    public string? OutDir { get; set; }

    [Option("log-level", HelpText = "Diagnostics level (default warning).")]
    public string? LogLevel { get; set; }

    [Option("quiet", HelpText = "No live status line on a terminal (it is never drawn when output is redirected).")]
    public bool Quiet { get; set; }
}
