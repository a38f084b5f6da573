using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>`minix318emu trace`: run with allocation tracing, write the trace and its report.</summary>
[Verb("trace", HelpText = "Run a kernel with allocation tracing; write the trace and the report. With no --kernel, traces the bundled MINIX318-model guest.")]
public sealed class TraceOptions : MachineOptions
{
    [Option("profile", HelpText = "Allocator profile: minix318 (default), minix3, or a JSON file.")]
    public string? Profile { get; set; }

    [Option("symbols", HelpText = "More ELF files whose symbols apply to user programs; repeat for more (boot modules are used automatically).")]
    public IEnumerable<string> Symbols { get; set; } = Array.Empty<string>();

    [Option("out", HelpText = "Folder for trace.m318, the report and the console (default trace-out).")]
    public string? Out { get; set; }
}

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
}
