using System.Globalization;
using Minix318Emu.Cli.Query;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Export;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tests.Reports;

/// <summary>
/// The model guest's trace as Parquet tables, queried with DuckDB: calls and bytes per process,
/// per allocator and per process and function equal the analyzer's; the stacks table holds
/// every call's frames; many runs in run_id= directories read as one table.
/// </summary>
public sealed class ParquetQueryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-parquet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TraceFile ModelTrace() => TraceReader.Read(TraceRunner.Run(Path.Combine(_dir, "t.m318")).TracePath);

    [Fact]
    public void SqlAggregates_EqualTheAnalyzers()
    {
        TraceFile t = ModelTrace();
        AnalysisReport r = TraceAnalyzer.Analyze(t);
        string dir = Path.Combine(_dir, "pq");
        Assert.Equal(t.Calls.Count, ParquetExport.Write(t, dir));
        using var db = TraceDatabase.Open(dir);
        ParquetAggregates.AssertEqual(db, r);
        Assert.Equal(t.Calls.Count.ToString(CultureInfo.InvariantCulture), db.Rows("SELECT count(*) FROM calls").Rows[0][0]);

        // Every call's stack: its frames (innermost first) by stack_id.
        var frames = db.Rows("SELECT c.call_id, string_agg(s.symbol, ';' ORDER BY s.depth) FROM calls c JOIN stacks s USING (stack_id) GROUP BY c.call_id").Rows
            .ToDictionary(x => long.Parse(x[0], CultureInfo.InvariantCulture), x => x[1]);
        foreach (TraceCall c in t.Calls)
        {
            string expected = string.Join(';', c.Stack.Select(f => f.Symbol.Length > 0 ? f.Symbol : $"0x{f.Address:x8}"));
            Assert.Equal(expected, frames.GetValueOrDefault(c.Id, ""));
        }
        // One call in full: every column.
        TraceCall k = t.Calls.First(c => c.Parent >= 0);
        string[] row = db.Rows($"SELECT call_id, parent_id, entry_time, return_time, returned, process, cr3, function, family, role, size, pointer, result, caller FROM calls WHERE call_id = {k.Id}").Rows.Single();
        TraceFunction f = t.Functions[k.Function];
        Assert.Equal(new[]
        {
            k.Id.ToString(CultureInfo.InvariantCulture), k.Parent.ToString(CultureInfo.InvariantCulture), k.Entry.ToString(CultureInfo.InvariantCulture),
            k.Exit.ToString(CultureInfo.InvariantCulture), k.Returned.ToString(), t.Processes[k.Process].Name, t.Processes[k.Process].Cr3.ToString(CultureInfo.InvariantCulture),
            f.Name, f.Family, f.Role.ToString(), k.Size.ToString(CultureInfo.InvariantCulture), k.Pointer.ToString(CultureInfo.InvariantCulture),
            k.Result.ToString(CultureInfo.InvariantCulture), k.Caller.Symbol,
        }, row);
        Assert.Equal(t.Processes.Count.ToString(CultureInfo.InvariantCulture), db.Rows("SELECT count(*) FROM processes").Rows[0][0]);
    }

    [Fact]
    public void ManyRuns_InRunIdDirectories_ReadAsOneTable()
    {
        TraceFile t = ModelTrace();
        ParquetExport.Write(t, Path.Combine(_dir, "runs", "run_id=a"));
        ParquetExport.Write(t, Path.Combine(_dir, "runs", "run_id=b"));
        using var db = TraceDatabase.Open(Path.Combine(_dir, "runs"));
        var rows = db.Rows("SELECT run_id, count(*) FROM calls GROUP BY run_id ORDER BY run_id").Rows;
        string n = t.Calls.Count.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(new[] { new[] { "a", n }, new[] { "b", n } }, rows);
    }

    [Fact]
    public void AnEmptyTrace_GivesEmptyTables()
    {
        string path = Path.Combine(_dir, "empty.m318");
        var header = new TraceHeader(TraceFormat.Version, "minix3", 100_000_000, Array.Empty<TraceImage>());
        using (var w = new TraceWriter(path, new FileStream(path, FileMode.Create), header))
        {
            w.Complete();
        }
        ParquetExport.Write(TraceReader.Read(path), Path.Combine(_dir, "e"));
        using var db = TraceDatabase.Open(Path.Combine(_dir, "e"));
        Assert.Equal("0", db.Rows("SELECT count(*) FROM calls").Rows[0][0]);
    }
}
