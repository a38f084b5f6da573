using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Conformance;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;

namespace Minix318Emu.Cli.Commands;

/// <summary>`conformance`: generates cases, runs them here and under QEMU, prints the per-family table and the mismatches.</summary>
public static class ConformanceCommand
{
    /// <summary>Runs the verb: 0 when every case agrees, 1 when some differ.</summary>
    public static int Execute(ConformanceOptions o)
    {
        if (o.Cases < 1 || o.Cases > HarnessLayout.MaxCases)
        {
            throw new UsageException($"--cases {o.Cases}: must be between 1 and {HarnessLayout.MaxCases} (what one harness run holds)");
        }
        var families = o.Families.Any() ? o.Families.ToList() : CaseGenerator.Families.ToList();
        foreach (string f in families)
        {
            if (!CaseGenerator.Families.Contains(f))
            {
                throw new UsageException($"--families: unknown family '{f}' (known: {string.Join(", ", CaseGenerator.Families)})");
            }
        }
        string qemu = FindOnPath(o.Qemu) ?? throw new UsageException($"--qemu {o.Qemu}: not found (install qemu-system-x86)");
        string work = o.WorkDir ?? Path.Combine(Path.GetTempPath(), "minix318emu-conformance");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        if (o.Case is int k && (k < 0 || k >= o.Cases))
        {
            throw new UsageException($"--case {k}: must be between 0 and {o.Cases - 1}");
        }
        ConformanceReport report = ConformanceRun.Run(BundledGuests.PathOf("conform"), qemu, o.Seed, o.Cases, families, work, o.Case);
        if (o.Case is not null)
        {
            Console.WriteLine("minix318emu: " + File.ReadAllLines(Path.Combine(work, "minix318emu.txt")).FirstOrDefault(l => l.StartsWith("C ", StringComparison.Ordinal)));
            Console.WriteLine("qemu:        " + File.ReadAllLines(Path.Combine(work, "qemu.txt")).FirstOrDefault(l => l.StartsWith("C ", StringComparison.Ordinal)));
        }
        Console.WriteLine($"seed {o.Seed}, {report.TotalCases} cases, {report.TotalMismatches} mismatches, {report.TotalKnown} known QEMU departures ({sw.Elapsed.TotalSeconds:0.0} s)");
        Console.WriteLine($"{"family",-20} {"cases",7} {"faulted",8} {"mismatches",11} {"known",6}");
        foreach (FamilyResult f in report.Families)
        {
            Console.WriteLine($"{f.Family,-20} {f.Cases,7} {f.Faulted,8} {f.Mismatches,11} {f.Known,6}");
        }
        foreach (var g in report.Differences.Where(d => d.Known != KnownDeviation.None).GroupBy(d => d.Known))
        {
            Mismatch first = g.First();
            Console.WriteLine($"known: {g.Key}, {g.Count()} cases, e.g. case {first.Index}: {first.Text}: {string.Join("; ", first.Differences)}");
        }
        foreach (Mismatch m in report.Mismatches.Take(o.Show))
        {
            Console.WriteLine($"\ncase {m.Index} ({m.Family}): {m.Text}");
            foreach (string d in m.Differences)
            {
                Console.WriteLine($"  {d}");
            }
        }
        return report.TotalMismatches == 0 ? 0 : 1;
    }

    private static string? FindOnPath(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string p = Path.Combine(dir, name);
            if (File.Exists(p))
            {
                return p;
            }
        }
        return null;
    }
}
