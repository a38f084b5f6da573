using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>`minix318emu conformance`: differential testing of the CPU against qemu-system-i386.</summary>
[Verb("conformance", HelpText = "Run random instruction cases on this CPU and on qemu-system-i386 and compare the results.")]
public sealed class ConformanceOptions
{
    [Option("seed", Default = 1, HelpText = "Seed of the case generator (the same seed gives the same cases).")]
    public int Seed { get; set; }

    [Option("cases", Default = 3000, HelpText = "Number of cases, spread evenly over the families.")]
    public int Cases { get; set; }

    [Option("families", Separator = ',', HelpText = "Families to run (default all): alu, shift, muldiv, bcd, bit, string, x87, x87-transcendental, system.")]
    public IEnumerable<string> Families { get; set; } = Array.Empty<string>();

    [Option("qemu", Default = "qemu-system-i386", HelpText = "The reference emulator.")]
    public string Qemu { get; set; } = "qemu-system-i386";

    [Option("show", Default = 10, HelpText = "Mismatches to print in detail.")]
    public int Show { get; set; }

    [Option("case", HelpText = "Run only this case of the generated list and print both CPUs' full results for it.")]
    public int? Case { get; set; }

    [Option("work-dir", HelpText = "Where to write the case module (default: a temporary folder).")]
    public string? WorkDir { get; set; }
}
