using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>`minix318emu query`: SQL over a trace's Parquet tables (DuckDB, in-process).</summary>
[Verb("query", HelpText = "Run SQL (DuckDB) on a trace's tables: calls, stacks, processes. SOURCE is a trace file (exported to Parquet first) or a directory of Parquet tables (one run, or run_id=*/ subdirectories of many).")]
public sealed class QueryOptions
{
    [Value(0, MetaName = "SOURCE", Required = true, HelpText = "A trace file (.m318) or a directory written by analyze --format parquet.")]
    public string Source { get; set; } = "";

    [Value(1, MetaName = "SQL", Required = true, HelpText = "The query, e.g. \"SELECT process, count(*) FROM calls GROUP BY process\".")]
    public string Sql { get; set; } = "";

    [Option("out", HelpText = "Write the result to FILE instead of printing it: .csv or .parquet.")]
    public string? Out { get; set; }
}
