using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Minix318Emu.Cli.Configuration;

namespace Minix318Emu.Cli.Query;

/// <summary>
/// An in-memory DuckDB with the views calls, stacks and processes over a directory of Parquet
/// tables: one run's (DIR/calls.parquet) or many runs' (DIR/run_id=NAME/calls.parquet, read with
/// Hive partitioning, so run_id is a column) — the layout Spark reads as well.
/// </summary>
public sealed class TraceDatabase : IDisposable
{
    /// <summary>The most rows <see cref="Print"/> shows; the rest are counted.</summary>
    public const int MaxPrintedRows = 10_000;

    private static readonly string[] s_tables = { "calls", "stacks", "processes" };

    private readonly DuckDBConnection _connection;

    private TraceDatabase(DuckDBConnection connection) => _connection = connection;

    /// <summary>Opens the tables of <paramref name="dir"/>.</summary>
    public static TraceDatabase Open(string dir)
    {
        string full = Path.GetFullPath(dir);
        bool single = File.Exists(Path.Combine(full, "calls.parquet"));
        if (!single && !Directory.EnumerateFiles(full, "calls.parquet", SearchOption.AllDirectories).Any())
        {
            throw new UsageException($"query {dir}: no calls.parquet in it or below it (write one with analyze --format parquet)");
        }
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        var db = new TraceDatabase(connection);
        foreach (string t in s_tables)
        {
            string source = single
                ? $"read_parquet('{Quote(Path.Combine(full, t + ".parquet"))}')"
                : $"read_parquet('{Quote(Path.Combine(full, "**", t + ".parquet"))}', hive_partitioning = true)";
            db.Execute($"CREATE VIEW {t} AS SELECT * FROM {source}");
        }
        return db;
    }

    private static string Quote(string s) => s.Replace("'", "''", StringComparison.Ordinal);

    private void Execute(string sql)
    {
        using DuckDBCommand cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        Run(() => cmd.ExecuteNonQuery());
    }

    private static T Run<T>(Func<T> f)
    {
        try
        {
            return f();
        }
        catch (DuckDBException e)
        {
            throw new UsageException($"query: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>The result's rows as strings (null as ""), with the column names.</summary>
    public (string[] Columns, List<string[]> Rows, long Total) Rows(string sql, int max = int.MaxValue)
    {
        using DuckDBCommand cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        using DbDataReader reader = Run(() => cmd.ExecuteReader());
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<string[]>();
        long total = 0;
        while (Run(() => reader.Read()))
        {
            if (total++ < max)
            {
                var row = new string[columns.Length];
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
                }
                rows.Add(row);
            }
        }
        return (columns, rows, total);
    }

    /// <summary>Prints the result as an aligned table (numbers right-aligned).</summary>
    public void Print(string sql, TextWriter w)
    {
        var (columns, rows, total) = Rows(sql, MaxPrintedRows);
        var widths = columns.Select((c, i) => Math.Max(c.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var numeric = columns.Select((name, i) => rows.Count > 0 && rows.All(r => r[i].Length == 0 || double.TryParse(r[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        w.WriteLine(Line(columns));
        w.WriteLine(string.Join("  ", widths.Select(x => new string('-', x))));
        foreach (string[] r in rows)
        {
            w.WriteLine(Line(r));
        }
        w.WriteLine(total > rows.Count ? $"({total} rows, the first {rows.Count} shown; --out FILE.csv writes them all)" : $"({total} rows)");
    }

    /// <summary>Writes the result to a .csv (with a header) or .parquet file; returns the rows written.</summary>
    public long Export(string sql, string path)
    {
        string format = path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet" : "csv, header true";
        using DuckDBCommand cmd = _connection.CreateCommand();
        cmd.CommandText = $"COPY ({sql.Trim().TrimEnd(';')}) TO '{Quote(path)}' (format {format})";
        object? n = Run(() => cmd.ExecuteScalar());
        return Convert.ToInt64(n, CultureInfo.InvariantCulture);
    }

    public void Dispose() => _connection.Dispose();
}
