using Minix318Emu.Tracing.Export.ParquetFormat;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Parquet;
using Parquet.Schema;

namespace Minix318Emu.Tracing.Export;

/// <summary>
/// A trace as three Parquet tables in one directory (calls.parquet, stacks.parquet,
/// processes.parquet; the schema is in the README and in <see cref="ParquetSchemas"/>): one
/// row per traced call with its process, function and caller by name, so SQL needs no joins
/// for the common questions; the stacks deduplicated (a call names its stack by id); the
/// processes. Integers are signed 64-bit where a value can pass 2^31 (times, sizes,
/// addresses), which every engine reads alike (Spark has no unsigned types).
/// </summary>
public static class ParquetExport
{
    /// <summary>Rows per row group: large enough for fast scans, small enough to keep the writer's memory bounded.</summary>
    public const int RowGroupRows = 1 << 20;

    /// <summary>
    /// Writes the tables into <paramref name="dir"/> (created if missing); returns the calls
    /// written. Each file is written under a .partial name and renamed into place, so an
    /// interrupted export leaves no half-written table.
    /// </summary>
    public static long Write(TraceFile trace, string dir) => Write(trace, dir, null);

    /// <summary>
    /// As <see cref="Write(TraceFile, string)"/>, adding where the time went to <paramref name="phases"/>
    /// and reporting the calls copied out so far to <paramref name="progress"/>.
    /// </summary>
    public static long Write(TraceFile trace, string dir, ParquetExportPhases? phases, WorkProgress? progress = null) =>
        Write(trace, dir, RowGroupRows, ParquetCodec.Snappy, phases, progress);

    /// <summary>As <see cref="Write(TraceFile, string)"/>, with the calls' row group size and page compression given.</summary>
    internal static long Write(TraceFile trace, string dir, int rowGroupRows, ParquetCodec codec, ParquetExportPhases? phases = null, WorkProgress? progress = null)
    {
        progress?.Start(trace.Calls.Count, "calls");
        phases ??= new ParquetExportPhases();
        Directory.CreateDirectory(dir);
        var stacks = new StackTable();
        string calls = Path.Combine(dir, "calls.parquet"), stackFile = Path.Combine(dir, "stacks.parquet"), processes = Path.Combine(dir, "processes.parquet");
        long rows = WriteCalls(trace, calls + ".partial", stacks, rowGroupRows, codec, phases, progress);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        WriteStacks(stacks, stackFile + ".partial").GetAwaiter().GetResult();
        WriteProcesses(trace, processes + ".partial").GetAwaiter().GetResult();
        foreach (string f in new[] { calls, stackFile, processes })
        {
            File.Move(f + ".partial", f, overwrite: true);
        }
        phases.Tables += clock.Elapsed;
        return rows;
    }

    private static long WriteCalls(TraceFile trace, string path, StackTable stacks, int rowGroupRows, ParquetCodec codec, ParquetExportPhases phases, WorkProgress? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var d = new CallDictionaries(trace);
        IReadOnlyList<TraceCall> calls = trace.Calls;
        int capacity = Math.Min(rowGroupRows, Math.Max(1, calls.Count));
        // Two row groups in flight: this thread fills one from the calls while the other is
        // encoded (on the other cores), then writes it.
        CallRowGroup[] groups = [new CallRowGroup(capacity), new CallRowGroup(capacity)];
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var file = new ParquetFileWriter(stream, CallRowGroup.Schema);
        Task<(ColumnChunk[] Chunks, TimeSpan Took)>? encoding = null;
        int next = 0;
        for (int start = 0; start < calls.Count; start += rowGroupRows)
        {
            CallRowGroup g = groups[next++ & 1];
            clock.Restart();
            g.Fill(calls, start, (int)Math.Min((long)start + rowGroupRows, calls.Count), d, stacks);
            phases.Fill += clock.Elapsed;
            progress?.Report(start + g.Count);
            WriteEncoded();
            encoding = Task.Run(() =>
            {
                var took = System.Diagnostics.Stopwatch.StartNew();
                return (g.Encode(d, codec), took.Elapsed);
            });
        }
        WriteEncoded();
        clock.Restart();
        file.Finish();
        stream.Flush();
        phases.Write += clock.Elapsed;
        phases.CallsBytes = stream.Length;
        return calls.Count;

        void WriteEncoded()
        {
            if (encoding is null)
            {
                return;
            }
            var (chunks, took) = encoding.GetAwaiter().GetResult();
            encoding = null;
            phases.Encode += took;
            clock.Restart();
            file.WriteRowGroup(chunks[0].Values, chunks);
            phases.Write += clock.Elapsed;
        }
    }

    private static async Task WriteStacks(StackTable stacks, string path)
    {
        var id = new List<int>();
        var depth = new List<int>();
        var address = new List<long>();
        var symbol = new List<string>();
        var function = new List<string>();
        for (int s = 0; s < stacks.Stacks.Count; s++)
        {
            TraceFrame[] frames = stacks.Stacks[s];
            for (int d = 0; d < frames.Length; d++)
            {
                id.Add(s);
                depth.Add(d);
                address.Add(frames[d].Address);
                symbol.Add(frames[d].Symbol.Length > 0 ? frames[d].Symbol : $"0x{frames[d].Address:x8}");
                function.Add(frames[d].Function);
            }
        }
        ParquetSchema schema = ParquetSchemas.Stacks;
        DataField[] f = schema.GetDataFields();
        await using var stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream);
        using ParquetRowGroupWriter g = writer.CreateRowGroup();
        await g.WriteAsync(f[0], new ReadOnlyMemory<int>(id.ToArray()));
        await g.WriteAsync(f[1], new ReadOnlyMemory<int>(depth.ToArray()));
        await g.WriteAsync(f[2], new ReadOnlyMemory<long>(address.ToArray()));
        await g.WriteAsync(f[3], symbol);
        await g.WriteAsync(f[4], function);
    }

    private static async Task WriteProcesses(TraceFile trace, string path)
    {
        var ps = trace.Processes.Values.OrderBy(p => p.Id).ToList();
        ParquetSchema schema = ParquetSchemas.Processes;
        DataField[] f = schema.GetDataFields();
        await using var stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream);
        using ParquetRowGroupWriter g = writer.CreateRowGroup();
        await g.WriteAsync(f[0], new ReadOnlyMemory<int>(ps.Select(p => p.Id).ToArray()));
        await g.WriteAsync(f[1], ps.Select(p => p.Name).ToList());
        await g.WriteAsync(f[2], new ReadOnlyMemory<int>(ps.Select(p => p.Endpoint ?? -1).ToArray()));
        await g.WriteAsync(f[3], new ReadOnlyMemory<long>(ps.Select(p => (long)p.Cr3).ToArray()));
    }
}
