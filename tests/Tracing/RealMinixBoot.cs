using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Tracing;

/// <summary>The shared boot: how it ran, its trace and its analysis, and a directory for outputs.</summary>
public sealed record RealMinixBoot(RealMinixTrace.Outcome Outcome, TraceFile Trace, AnalysisReport Report, string Directory);
