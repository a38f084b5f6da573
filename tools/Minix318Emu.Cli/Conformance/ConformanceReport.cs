using System.Diagnostics;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Conformance;

/// <summary>The outcome of a differential run.</summary>
public sealed record ConformanceReport(IReadOnlyList<FamilyResult> Families, IReadOnlyList<Mismatch> Differences)
{
    public int TotalCases => Families.Sum(f => f.Cases);

    public int TotalMismatches => Families.Sum(f => f.Mismatches);

    public int TotalKnown => Families.Sum(f => f.Known);

    /// <summary>Differences that are not a documented QEMU departure.</summary>
    public IEnumerable<Mismatch> Mismatches => Differences.Where(d => d.Known == KnownDeviation.None);
}
