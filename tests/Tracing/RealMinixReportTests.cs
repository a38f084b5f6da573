using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Analysis;

namespace Minix318Emu.Tests.Tracing;

/// <summary>report.md for the real MINIX boot: its sections carry the boot's numbers, and the copy in docs/ is what the tracer writes for this boot.</summary>
[Collection(RealMinixTraceCollection.Name)]
public sealed class RealMinixReportTests
{
    /// <summary>How docs/minix-3.4-boot-report.md is made (from the repository root, with the real MINIX in ../shared/minix).</summary>
    private const string Regenerate =
        "M=../shared/minix; mods=; for m in $M/mod*; do mods=\"$mods --module $m\"; done; gzip -dc $M/disk.img.gz > /tmp/disk.img; "
        + "dotnet run -c Release --project tools/Minix318Emu.Cli -- trace --profile minix3 --kernel $M/kernel $mods --append \"$(cat $M/cmdline.txt)\" "
        + "--disk /tmp/disk.img --max-instructions 330000000 --out /tmp/boot && cp /tmp/boot/report.md docs/minix-3.4-boot-report.md";

    private readonly RealMinixBootFixture _fixture;

    public RealMinixReportTests(RealMinixBootFixture fixture) => _fixture = fixture;

    [SkippableFact]
    public void ReportMd_HasEverySection_WithTheBootsNumbers()
    {
        RealMinixBoot b = _fixture.Boot();
        string md = MarkdownReport.Write(b.Report);
        foreach (string section in new[] { "## Executive summary", "## Processes and their allocators", "### Cross-process edges", "### Served requests",
            "### Inside processes", "## Allocators", "## Feature variations", "## Redundancy factor", "## Messages", "## Leaks and anomalies", "## How this was measured" })
        {
            Assert.Contains(section, md);
        }
        Assert.Contains("65 631 traced calls", md);
        Assert.Contains("- **Processes:** 9 with traced calls (vm 62 458, vfs 1 510, mfs 1 450, rs 90, init 60, ds 25, pfs 21, mib 13, init*F 4)", md);
        Assert.Contains("| vm | 8 | 7 775 | 35 | 3 670 | 2 678 | 3 687 |  | 1 |  | 292 | 35 | 26 958 | 17 327 | 62 458 |", md);
        Assert.Contains("- **Busiest allocator:** `slaballoc` in mod09_vm (slab), 26 958 calls", md);
        Assert.Contains(TraceAnalyzer.RedundancyDefinition, md);
        Assert.Contains("| mfs | `mmap` | VM_MMAP (0xc0a) | vm | `do_mmap` | 1 114 |", md);
        Assert.Contains("not measured (the profile hooks no lock functions)", md);
    }

    [SkippableFact]
    public void TheCommittedBootReport_IsWhatTheTracerWritesForThisBoot()
    {
        RealMinixBoot b = _fixture.Boot();
        string committed = File.ReadAllText(Path.Combine(Repo.Root, "docs", "minix-3.4-boot-report.md"));
        Assert.True(committed == MarkdownReport.Write(b.Report), "docs/minix-3.4-boot-report.md is not what the tracer writes for this boot; regenerate it: " + Regenerate);
    }
}
