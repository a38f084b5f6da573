using Minix318Emu.Cli.Query;
using Minix318Emu.Tests.Reports;
using Minix318Emu.Tracing.Export;

namespace Minix318Emu.Tests.Tracing;

/// <summary>The real MINIX boot's trace as Parquet: SQL's calls and bytes per process, allocator and pair equal the analyzer's.</summary>
[Collection(RealMinixTraceCollection.Name)]
public sealed class RealMinixParquetTests(RealMinixBootFixture fixture)
{
    [SkippableFact]
    public void SqlAggregates_EqualTheAnalyzers()
    {
        RealMinixBoot boot = fixture.Boot();
        string dir = Path.Combine(boot.Directory, "parquet");
        Assert.Equal(boot.Trace.Calls.Count, ParquetExport.Write(boot.Trace, dir));
        using var db = TraceDatabase.Open(dir);
        ParquetAggregates.AssertEqual(db, boot.Report);
    }
}
