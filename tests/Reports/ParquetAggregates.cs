using System.Globalization;
using Minix318Emu.Cli.Query;
using Minix318Emu.Tracing.Analysis;

namespace Minix318Emu.Tests.Reports;

/// <summary>The SQL a user would write for the analyzer's per-process and per-allocator figures, checked against the analyzer.</summary>
internal static class ParquetAggregates
{
    private const string Allocating = "role IN ('Alloc', 'ZoneAlloc', 'MapAlloc', 'Backend', 'Realloc') AND NOT negative";

    public static void AssertEqual(TraceDatabase db, AnalysisReport r)
    {
        // Calls per process, and the bytes its outermost allocating calls asked for.
        var perProcess = db.Rows($"SELECT process, count(*), coalesce(sum(size) FILTER (WHERE parent_id = -1 AND {Allocating}), 0) FROM calls GROUP BY process").Rows
            .ToDictionary(x => x[0], x => (Calls: long.Parse(x[1], CultureInfo.InvariantCulture), Bytes: ulong.Parse(x[2], CultureInfo.InvariantCulture)));
        var analyzed = r.Processes.Where(p => p.Calls > 0).ToList();
        Assert.Equal(analyzed.Count, perProcess.Count);
        foreach (ProcessStats p in analyzed)
        {
            Assert.Equal((p.Calls, p.Bytes), perProcess[p.Name]);
        }
        // Calls and bytes per allocator (function and image).
        var perAllocator = db.Rows($"SELECT function, image, count(*), coalesce(sum(size) FILTER (WHERE {Allocating}), 0) FROM calls GROUP BY function, image").Rows
            .ToDictionary(x => (x[0], x[1]), x => (Calls: long.Parse(x[2], CultureInfo.InvariantCulture), Bytes: ulong.Parse(x[3], CultureInfo.InvariantCulture)));
        Assert.Equal(r.Allocators.Count, perAllocator.Count);
        foreach (AllocatorStats a in r.Allocators)
        {
            Assert.Equal((a.Calls, a.Bytes), perAllocator[(a.Name, a.Image)]);
        }
        // Calls per process and allocator function.
        var perPair = db.Rows("SELECT process, function, count(*) FROM calls GROUP BY process, function").Rows
            .ToDictionary(x => (x[0], x[1]), x => long.Parse(x[2], CultureInfo.InvariantCulture));
        Assert.Equal(analyzed.Sum(p => p.CallsByFunction.Count), perPair.Count);
        foreach (ProcessStats p in analyzed)
        {
            foreach (var (fn, n) in p.CallsByFunction)
            {
                Assert.Equal(n, perPair[(p.Name, fn)]);
            }
        }
    }
}
