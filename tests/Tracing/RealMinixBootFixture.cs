using Minix318Emu.Emulator.Processor.Compiler;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Tracing;

/// <summary>
/// One traced boot of the real MINIX 3.4 (with the independent entry count attached), shared by
/// every test of the "real MINIX trace" collection and made on first use, so that the tests
/// skip without booting when ../shared/minix is absent; a second boot, without the counter and
/// saved and resumed on the way, for the determinism test; a third under the compiled tier.
/// </summary>
public sealed class RealMinixBootFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-realtrace-").FullName;
    private RealMinixBoot? _boot;
    private string? _second;
    private (string, CompilerStatistics)? _compiled;

    /// <summary>The shared boot (skips the calling test when the real MINIX is absent).</summary>
    public RealMinixBoot Boot()
    {
        MinixDistribution d = RealMinix.Require();
        if (_boot is null)
        {
            RealMinixTrace.Outcome o = RealMinixTrace.Run(d, Path.Combine(_dir, "boot.m318"), count: true);
            TraceFile t = TraceReader.Read(o.TracePath);
            _boot = new RealMinixBoot(o, t, TraceAnalyzer.Analyze(t), _dir);
        }
        return _boot;
    }

    /// <summary>
    /// Where the second boot is cut, saved and resumed: 10.6 M instructions before login: and
    /// 1.1 M before the first instruction at which a resumed machine used to differ (a block
    /// decoded at a page's end walked the next, unmapped, page and wrote CR2).
    /// </summary>
    public const ulong ResumeAt = 300_000_000;

    /// <summary>
    /// The trace of a second boot, traced the same way but with no counter attached, and cut at
    /// <see cref="ResumeAt"/>: saved there and continued by a freshly built machine loaded from
    /// the state (`trace --save-state`, then `--load-state --continue-trace`).
    /// </summary>
    public string SecondTrace()
    {
        MinixDistribution d = RealMinix.Require();
        return _second ??= RealMinixTrace.RunResumed(d, Path.Combine(_dir, "again.m318"), ResumeAt).TracePath;
    }

    /// <summary>
    /// The trace of a third boot, traced as the first but under the compiled tier (`--tier jit`:
    /// blocks compiled on the compile thread whenever it gets to them, compiled blocks linked
    /// to each other), with the compiled tier's statistics at the end.
    /// </summary>
    public (string TracePath, CompilerStatistics Statistics) CompiledTrace()
    {
        MinixDistribution d = RealMinix.Require();
        if (_compiled is null)
        {
            RealMinixTrace.Outcome o = RealMinixTrace.Run(d, Path.Combine(_dir, "jit.m318"), count: false, ExecutionTier.Jit);
            _compiled = (o.TracePath, o.Compiler!);
        }
        return _compiled.Value;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
