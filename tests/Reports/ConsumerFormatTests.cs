using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Reports;

/// <summary>The model guest's folded stacks, Chrome trace and DOT graph, checked by their consumers' rules (<see cref="ConsumerFormats"/>).</summary>
public sealed class ConsumerFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-consumers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private TraceFile ModelTrace() => TraceReader.Read(TraceRunner.Run(Path.Combine(_dir, "t.m318")).TracePath);

    [Fact]
    public void FoldedStacks_FollowTheFoldedFormat()
    {
        TraceFile t = ModelTrace();
        ConsumerFormats.AssertFolded(ReportWriters.Folded(t), t);
    }

    [Theory]
    [InlineData("malloc", "malloc")]
    [InlineData("", "?")]
    [InlineData("a;b", "a,b")]
    [InlineData("operator new(unsigned int)", "operator_new(unsigned_int)")]
    [InlineData("two\nlines\r\tand\u0001", "two_lines__and_")]
    public void FoldedFrame_HasNoSeparatorInIt(string name, string frame) => Assert.Equal(frame, ReportWriters.FoldedFrame(name));

    [Fact]
    public void ChromeTrace_FollowsTheTraceEventFormat()
    {
        TraceFile t = ModelTrace();
        AnalysisReport r = TraceAnalyzer.Analyze(t);
        Assert.Equal(t.Calls.Count, ConsumerFormats.AssertTraceEvents(ReportWriters.Chrome(t, r)));
    }

    [Fact]
    public void ChromeTraceCheck_CatchesWhatItShould()
    {
        // The check itself, on hand-written traces it must refuse.
        static void Refused(string events) => Assert.ThrowsAny<Exception>(() => ConsumerFormats.AssertTraceEvents($"{{\"traceEvents\":[{events}]}}"));
        Refused("{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,\"pid\":1,\"tid\":1}");                                                      // no dur
        Refused("{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,\"dur\":1,\"pid\":1}");                                                      // no tid
        Refused("{\"name\":\"a\",\"ph\":\"B\",\"ts\":1,\"pid\":1,\"tid\":1}");                                                      // B never ended
        Refused("{\"name\":\"a\",\"ph\":\"E\",\"ts\":1,\"pid\":1,\"tid\":1}");                                                      // E with no B
        Refused("{\"name\":\"a\",\"ph\":\"X\",\"ts\":5,\"dur\":1,\"pid\":1,\"tid\":1},{\"name\":\"b\",\"ph\":\"X\",\"ts\":4,\"dur\":1,\"pid\":1,\"tid\":1}"); // ts back
        Refused("{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,\"dur\":5,\"pid\":1,\"tid\":1},{\"name\":\"b\",\"ph\":\"X\",\"ts\":2,\"dur\":5,\"pid\":1,\"tid\":1}"); // overlap
        Assert.Equal(3, ConsumerFormats.AssertTraceEvents("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,\"dur\":5,\"pid\":1,\"tid\":1},"
            + "{\"name\":\"b\",\"ph\":\"X\",\"ts\":2,\"dur\":1,\"pid\":1,\"tid\":1},{\"name\":\"c\",\"ph\":\"X\",\"ts\":4,\"dur\":0,\"pid\":2,\"tid\":1}]}"));
    }

    [SkippableFact]
    public void Dot_ParsesWithGraphviz()
    {
        TraceFile t = ModelTrace();
        ConsumerFormats.AssertDotParses(ReportWriters.Dot(TraceAnalyzer.Analyze(t)));
    }
}
