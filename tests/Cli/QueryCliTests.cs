using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Cli;

/// <summary>`query` and `analyze --format parquet` as a user runs them: a table on stdout, CSV and Parquet files, one-line errors.</summary>
public sealed class QueryCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-query-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(3));

    [Fact]
    public void Query_OnATraceAndOnItsParquetDirectory()
    {
        string trace = TraceRunner.Run(Path.Combine(_dir, "t.m318")).TracePath;
        const string sql = "SELECT process, count(*) AS calls FROM calls GROUP BY process ORDER BY calls DESC";
        var fromTrace = Cli("query", trace, sql);
        Assert.Equal(0, fromTrace.ExitCode);
        string[] lines = fromTrace.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^process\s+calls$", lines[0]);
        Assert.Matches(@"^kernel\s+214$", lines[2]); // the model guest's kernel makes 214 of the 372 traced calls
        Assert.Equal("(4 rows)", lines[^1]);

        var analyze = Cli("analyze", trace, "--format", "parquet", "--out-dir", Path.Combine(_dir, "parquet"));
        Assert.Equal(0, analyze.ExitCode);
        foreach (string t in new[] { "calls", "stacks", "processes" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, "parquet", t + ".parquet")), t);
        }
        string csv = Path.Combine(_dir, "out.csv");
        var toCsv = Cli("query", Path.Combine(_dir, "parquet"), sql, "--out", csv);
        Assert.Equal(0, toCsv.ExitCode);
        Assert.Equal("process,calls\nkernel,214\nprog_a,81\nprog_b,57\nprog_ucb,20\n", File.ReadAllText(csv));
        string pq = Path.Combine(_dir, "out.parquet");
        Assert.Equal(0, Cli("query", Path.Combine(_dir, "parquet"), sql, "--out", pq).ExitCode);
        var back = Cli("query", Path.Combine(_dir, "parquet"), $"SELECT sum(calls) AS n FROM read_parquet('{pq}')");
        Assert.Contains("372", back.Stdout);
    }

    [Fact]
    public void Query_BadInput_OneLineErrors()
    {
        string missing = Path.Combine(_dir, "nope.m318");
        var r = Cli("query", missing, "SELECT 1");
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"minix318emu: query {missing}: no such trace file or Parquet directory", r.Stderr.Trim());
        var empty = Cli("query", _dir, "SELECT 1");
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("no calls.parquet", empty.Stderr);
        string trace = TraceRunner.Run(Path.Combine(_dir, "t.m318")).TracePath;
        var bad = Cli("query", trace, "SELECT nosuchcolumn FROM calls");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("minix318emu: query: ", bad.Stderr);
        Assert.Single(bad.Stderr.Trim().Split('\n'));
        Assert.Equal(2, Cli("query", trace, "SELECT 1", "--out", Path.Combine(_dir, "x.txt")).ExitCode);
    }
}
