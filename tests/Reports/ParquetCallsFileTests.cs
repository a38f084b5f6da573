using System.Globalization;
using Minix318Emu.Cli.Query;
using Minix318Emu.Tracing.Export;
using Minix318Emu.Tracing.Export.ParquetFormat;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Parquet;
using Parquet.Schema;

namespace Minix318Emu.Tests.Reports;

/// <summary>
/// calls.parquet is written by the project's own encoder (tracing/Export/ParquetFormat), so
/// every value of every call is read back by two independent readers, DuckDB and Parquet.Net,
/// from a trace built to reach the encoder's corners: several row groups (the last one short),
/// a caller dictionary that grows from group to group past 8 bits of index, runs of equal
/// indices just under, at and over the 8 the RLE runs need, long runs, values at the ends of
/// their ranges, unknown symbols and non-ASCII names.
/// </summary>
public sealed class ParquetCallsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-parquetfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryValue_ReadsBack_InDuckDbAndParquetNet(bool snappy)
    {
        ParquetCodec codec = snappy ? ParquetCodec.Snappy : ParquetCodec.Uncompressed;
        TraceFile t = CornerTrace(20_011);
        string dir = Path.Combine(_dir, codec.ToString());
        Assert.Equal(t.Calls.Count, ParquetExport.Write(t, dir, 4096, codec));
        string[][] expected = t.Calls.Select(c => Row(t, c)).OrderBy(r => long.Parse(r[0], CultureInfo.InvariantCulture)).ToArray();

        using (var db = TraceDatabase.Open(dir))
        {
            string[][] rows = db.Rows("SELECT * FROM calls ORDER BY call_id").Rows.Select(r => r.Select((v, k) => k == 19 ? "" : v).ToArray()).ToArray();
            Assert.Equal(expected.Length, rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.Equal(expected[i], rows[i]);
            }
            Assert.Equal("5", db.Rows("SELECT count(*) FROM parquet_metadata('" + Path.Combine(dir, "calls.parquet") + "') WHERE column_id = 0").Rows[0][0]);
        }

        string[][] parquetNet = await ReadWithParquetNet(Path.Combine(dir, "calls.parquet"));
        Assert.Equal(expected.Length, parquetNet.Length);
        var byId = parquetNet.OrderBy(r => long.Parse(r[0], CultureInfo.InvariantCulture)).ToArray();
        for (int i = 0; i < byId.Length; i++)
        {
            Assert.Equal(expected[i], byId[i]);
        }
    }

    [Fact]
    public void HybridIndices_RoundTrip_ThroughDuckDb_ForEveryRunShape()
    {
        // One function per call: the function column is the index stream itself.
        var pattern = new List<int>();
        int[] runs = [1, 7, 8, 9, 15, 16, 17, 503, 504, 505, 3000];
        for (int r = 0; r < runs.Length; r++)
        {
            pattern.AddRange(Enumerable.Repeat(r % 2 == 0 ? 300 : 5, runs[r]));
            for (int k = 0; k < 600; k++)
            {
                pattern.Add((k * 7919 + r) % 301); // 301 entries: 9-bit indices
            }
        }
        var functions = Enumerable.Range(0, 301).ToDictionary(i => i, i => new TraceFunction(i, $"f{i}", AllocatorRole.Alloc, "fam", "img", (uint)i));
        var process = new TraceProcess(0, "p", 0);
        var frame = TraceFrame.Of(0x1000, "main+0x10");
        var calls = pattern.Select((f, i) => new TraceCall(i, -1, f, 0, (ulong)i, (ulong)i + 1, true, [], 0, 0, 0, frame, [frame])).ToList();
        TraceFile t = TraceOf(functions, new Dictionary<int, TraceProcess> { [0] = process }, calls);
        string dir = Path.Combine(_dir, "runs");
        ParquetExport.Write(t, dir, 1 << 20, ParquetCodec.Snappy);
        using var db = TraceDatabase.Open(dir);
        var got = db.Rows("SELECT function FROM calls ORDER BY call_id").Rows.Select(r => r[0]).ToArray();
        Assert.Equal(pattern.Select(f => $"f{f}").ToArray(), got);
    }

    private static string[] Row(TraceFile t, TraceCall c)
    {
        TraceFunction f = t.Functions[c.Function];
        TraceProcess p = t.Processes[c.Process];
        return
        [
            S(c.Id), S(c.Parent), S((long)c.Entry), S((long)c.Exit), c.Returned.ToString(), S(p.Id), p.Name, S(p.Endpoint ?? -1), S((long)p.Cr3),
            f.Name, f.Family, f.Role.ToString(), f.Image, S((long)c.Size), c.Negative.ToString(), S(c.Pointer), S(c.Result),
            c.Caller.Symbol.Length > 0 ? c.Caller.Symbol : $"0x{c.Caller.Address:x8}", S(c.Caller.Address), "", S(c.Request),
        ];
    }

    private static string S(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A trace whose calls cover the encoder's cases (see the class summary).</summary>
    private static TraceFile CornerTrace(int n)
    {
        var rnd = new Random(318);
        AllocatorRole[] roles = Enum.GetValues<AllocatorRole>();
        var functions = Enumerable.Range(0, 37).ToDictionary(i => i * 3 + 1, i => new TraceFunction(i * 3 + 1, $"alloc_é{i}", roles[i % roles.Length], $"fam{i % 5}", i % 2 == 0 ? "kernel" : "/usr/sbin/vm", 0x1000u * (uint)i));
        var processes = Enumerable.Range(0, 300).ToDictionary(i => i * 2, i => new TraceProcess(i * 2, $"proc{i}", i == 0 ? uint.MaxValue & ~0xFFFu : (uint)i << 12, i % 3 == 0 ? null : i - 100));
        int[] fnIds = functions.Keys.ToArray(), procIds = processes.Keys.ToArray();
        var frames = Enumerable.Range(0, 900).Select(i => i % 10 == 0 ? TraceFrame.Of((uint)(0x8000_0000 + i), "") : TraceFrame.Of((uint)(0x1000 + i * 4), $"caller{i / 2}+0x{i:x}")).ToArray();
        var stacks = Enumerable.Range(0, 50).Select(i => Enumerable.Range(0, 1 + i % 4).Select(d => frames[(i * 7 + d) % frames.Length]).ToArray()).ToArray();
        var calls = new List<TraceCall>(n);
        int fn = fnIds[0], proc = procIds[0], run = 0;
        for (int i = 0; i < n; i++)
        {
            if (run-- <= 0)
            {
                // Runs of 1-10 around the RLE threshold, now and then a long one.
                run = rnd.Next(10) == 0 ? rnd.Next(500, 3000) : rnd.Next(1, 11);
                fn = fnIds[rnd.Next(fnIds.Length)];
                proc = procIds[rnd.Next(procIds.Length)];
            }
            // The callers seen grow with i, so later row groups have bigger dictionaries.
            TraceFrame caller = frames[rnd.Next(Math.Min(frames.Length, 10 + i / 20))];
            TraceFrame[] stack = rnd.Next(4) == 0 ? [.. stacks[rnd.Next(stacks.Length)]] : stacks[rnd.Next(stacks.Length)];
            ulong size = (i % 97) switch { 0 => ulong.MaxValue >> 1, 1 => 0, _ => (ulong)rnd.NextInt64(1, 1L << 40) };
            long parent = i % 5 == 0 ? -1 : rnd.Next(i);
            long request = i % 7 == 0 ? -1 : long.MaxValue - i;
            ulong entry = (ulong)i * 1_000_003 + (1UL << 40);
            calls.Add(new TraceCall(i, parent, fn, proc, entry, entry + (ulong)rnd.Next(1000), rnd.Next(8) != 0, [], size,
                i % 11 == 0 ? uint.MaxValue : (uint)rnd.Next(), i % 13 == 0 ? uint.MaxValue : (uint)rnd.Next(), caller, stack, request, negative: i % 17 == 0));
        }
        // Written in return order: ids out of order.
        for (int i = 0; i + 1 < calls.Count; i += 3)
        {
            (calls[i], calls[i + 1]) = (calls[i + 1], calls[i]);
        }
        return TraceOf(functions, processes, calls);
    }

    private static TraceFile TraceOf(Dictionary<int, TraceFunction> functions, Dictionary<int, TraceProcess> processes, List<TraceCall> calls) => new()
    {
        Header = new TraceHeader(TraceFormat.Version, "test", 100_000_000, Array.Empty<TraceImage>()),
        Functions = functions,
        Processes = processes,
        Calls = calls,
        Messages = Array.Empty<TraceIpc>(),
        Footer = new TraceFooter(calls.Count, functions.Count, processes.Count, new byte[32]),
    };

    /// <summary>Every row as strings, as DuckDB prints them, read with Parquet.Net (the stack id left empty: it is checked by the SQL tests).</summary>
    private static async Task<string[][]> ReadWithParquetNet(string path)
    {
        await using ParquetReader reader = await ParquetReader.CreateAsync(path);
        DataField[] fields = reader.Schema.GetDataFields();
        Assert.Equal(21, fields.Length);
        var rows = new List<string[]>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using ParquetRowGroupReader rg = reader.OpenRowGroupReader(g);
            int n = (int)rg.RowCount;
            var columns = new string[fields.Length][];
            for (int k = 0; k < fields.Length; k++)
            {
                columns[k] = fields[k].ClrType switch
                {
                    Type x when x == typeof(long) => (await Read<long>(rg, fields[k], n)).Select(S).ToArray(),
                    Type x when x == typeof(int) => (await Read<int>(rg, fields[k], n)).Select(v => S(v)).ToArray(),
                    Type x when x == typeof(bool) => (await Read<bool>(rg, fields[k], n)).Select(v => v.ToString()).ToArray(),
                    _ => await ReadStrings(rg, fields[k], n),
                };
            }
            for (int i = 0; i < n; i++)
            {
                rows.Add(columns.Select((c, k) => fields[k].Name == "stack_id" ? "" : c[i]).ToArray());
            }
        }
        return rows.ToArray();
    }

    private static async Task<T[]> Read<T>(ParquetRowGroupReader rg, DataField f, int n)
        where T : struct
    {
        var values = new T[n];
        await rg.ReadAsync<T>(f, values.AsMemory());
        return values;
    }

    private static async Task<string[]> ReadStrings(ParquetRowGroupReader rg, DataField f, int n)
    {
        var values = new string?[n];
        await rg.ReadAsync(f, values.AsMemory());
        return values.Select(v => v ?? "(null)").ToArray();
    }
}
