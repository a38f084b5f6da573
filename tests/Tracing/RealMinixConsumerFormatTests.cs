using Minix318Emu.Tests.Reports;
using Minix318Emu.Tracing.Analysis;

namespace Minix318Emu.Tests.Tracing;

/// <summary>The real MINIX boot's folded stacks, Chrome trace and DOT graph, checked by their consumers' rules.</summary>
[Collection(RealMinixTraceCollection.Name)]
public sealed class RealMinixConsumerFormatTests(RealMinixBootFixture fixture)
{
    [SkippableFact]
    public void FoldedStacks_AndChromeTrace_FollowTheirFormats()
    {
        RealMinixBoot boot = fixture.Boot();
        ConsumerFormats.AssertFolded(ReportWriters.Folded(boot.Trace), boot.Trace);
        Assert.Equal(boot.Trace.Calls.Count, ConsumerFormats.AssertTraceEvents(ReportWriters.Chrome(boot.Trace, boot.Report)));
    }

    [SkippableFact]
    public void Dot_ParsesWithGraphviz()
    {
        RealMinixBoot boot = fixture.Boot();
        ConsumerFormats.AssertDotParses(ReportWriters.Dot(boot.Report));
    }
}
