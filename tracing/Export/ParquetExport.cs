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
    public static long Write(TraceFile trace, string dir)
    {
        Directory.CreateDirectory(dir);
        var stacks = new StackTable();
        string calls = Path.Combine(dir, "calls.parquet"), stackFile = Path.Combine(dir, "stacks.parquet"), processes = Path.Combine(dir, "processes.parquet");
        long rows = WriteCalls(trace, calls + ".partial", stacks).GetAwaiter().GetResult();
        WriteStacks(stacks, stackFile + ".partial").GetAwaiter().GetResult();
        WriteProcesses(trace, processes + ".partial").GetAwaiter().GetResult();
        foreach (string f in new[] { calls, stackFile, processes })
        {
            File.Move(f + ".partial", f, overwrite: true);
        }
        return rows;
    }

    private static async Task<long> WriteCalls(TraceFile trace, string path, StackTable stacks)
    {
        ParquetSchema schema = ParquetSchemas.Calls;
        DataField[] f = schema.GetDataFields();
        int n = Math.Min(RowGroupRows, Math.Max(1, trace.Calls.Count));
        var callId = new long[n];
        var parent = new long[n];
        var entry = new long[n];
        var exit = new long[n];
        var returned = new bool[n];
        var processId = new int[n];
        var process = new string[n];
        var endpoint = new int[n];
        var cr3 = new long[n];
        var function = new string[n];
        var family = new string[n];
        var role = new string[n];
        var image = new string[n];
        var size = new long[n];
        var negative = new bool[n];
        var pointer = new long[n];
        var result = new long[n];
        var callerSymbol = new string[n];
        var callerAddress = new long[n];
        var stackId = new int[n];
        var request = new long[n];
        // Names are looked up once per function and process, not per call.
        int maxFn = trace.Functions.Count == 0 ? 0 : trace.Functions.Keys.Max() + 1;
        var fns = new TraceFunction?[maxFn];
        var roles = new string[maxFn];
        foreach (var (id, fn) in trace.Functions)
        {
            fns[id] = fn;
            roles[id] = fn.Role.ToString();
        }
        int maxProc = trace.Processes.Count == 0 ? 0 : trace.Processes.Keys.Max() + 1;
        var procs = new TraceProcess?[maxProc];
        foreach (var (id, p) in trace.Processes)
        {
            procs[id] = p;
        }
        await using var stream = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(schema, stream);
        int i = 0;
        long total = 0;
        foreach (TraceCall c in trace.Calls)
        {
            TraceFunction fn = fns[c.Function]!;
            TraceProcess p = procs[c.Process]!;
            callId[i] = c.Id;
            parent[i] = c.Parent;
            entry[i] = (long)c.Entry;
            exit[i] = (long)c.Exit;
            returned[i] = c.Returned;
            processId[i] = c.Process;
            process[i] = p.Name;
            endpoint[i] = p.Endpoint ?? -1;
            cr3[i] = p.Cr3;
            function[i] = fn.Name;
            family[i] = fn.Family;
            role[i] = roles[c.Function];
            image[i] = fn.Image;
            size[i] = (long)c.Size;
            negative[i] = c.Negative;
            pointer[i] = c.Pointer;
            result[i] = c.Result;
            callerSymbol[i] = c.Caller.Symbol.Length > 0 ? c.Caller.Symbol : $"0x{c.Caller.Address:x8}";
            callerAddress[i] = c.Caller.Address;
            stackId[i] = stacks.Id(c.Stack);
            request[i] = c.Request;
            if (++i == n)
            {
                await Flush();
                total += i;
                i = 0;
            }
        }
        if (i > 0 || total == 0)
        {
            await Flush();
            total += i;
        }
        return total;

        async Task Flush()
        {
            using ParquetRowGroupWriter g = writer.CreateRowGroup();
            int k = 0;
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(callId, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(parent, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(entry, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(exit, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<bool>(returned, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<int>(processId, 0, i));
            await g.WriteAsync(f[k++], new ArraySegment<string>(process, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<int>(endpoint, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(cr3, 0, i));
            await g.WriteAsync(f[k++], new ArraySegment<string>(function, 0, i));
            await g.WriteAsync(f[k++], new ArraySegment<string>(family, 0, i));
            await g.WriteAsync(f[k++], new ArraySegment<string>(role, 0, i));
            await g.WriteAsync(f[k++], new ArraySegment<string>(image, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(size, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<bool>(negative, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(pointer, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(result, 0, i));
            await g.WriteAsync(f[k++], new ArraySegment<string>(callerSymbol, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(callerAddress, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<int>(stackId, 0, i));
            await g.WriteAsync(f[k++], new ReadOnlyMemory<long>(request, 0, i));
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
