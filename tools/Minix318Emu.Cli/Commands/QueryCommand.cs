using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Options;
using Minix318Emu.Cli.Query;
using Minix318Emu.Tracing.Export;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// `query SOURCE SQL`: runs SQL with DuckDB (embedded; DuckDB.NET.Data.Full carries the native
/// library) over the tables calls, stacks and processes. A trace file is exported to Parquet
/// in a temporary directory first; a directory is read as it is.
/// </summary>
public static class QueryCommand
{
    /// <summary>Runs the verb.</summary>
    public static int Execute(QueryOptions o)
    {
        if (o.Out is not null && !(o.Out.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || o.Out.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UsageException($"--out {o.Out}: expected a .csv or .parquet file name");
        }
        string? temp = null;
        try
        {
            string dir;
            if (Directory.Exists(o.Source))
            {
                dir = o.Source;
            }
            else if (File.Exists(o.Source))
            {
                TraceFile trace;
                try
                {
                    trace = TraceReader.Read(o.Source);
                }
                catch (TraceFormatException e)
                {
                    throw new UsageException(e.Message);
                }
                temp = Directory.CreateTempSubdirectory("minix318emu-query-").FullName;
                ParquetExport.Write(trace, temp);
                dir = temp;
            }
            else
            {
                throw new UsageException($"query {o.Source}: no such trace file or Parquet directory");
            }
            using var db = TraceDatabase.Open(dir);
            if (o.Out is null)
            {
                db.Print(o.Sql, Console.Out);
            }
            else
            {
                long rows = db.Export(o.Sql, Path.GetFullPath(o.Out));
                Console.Error.WriteLine($"minix318emu: {rows} rows written to {o.Out}");
            }
            return 0;
        }
        finally
        {
            if (temp is not null)
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }
}
