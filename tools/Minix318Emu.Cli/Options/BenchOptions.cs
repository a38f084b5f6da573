using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>`minix318emu bench`: measure guest MIPS on the bundled benchmark guests.</summary>
[Verb("bench", HelpText = "Measure guest MIPS on the bundled compute-bound and self-check guests, and QEMU's time on the same guests.")]
public sealed class BenchOptions
{
    [Option("repeat", Default = 5, HelpText = "Measured runs per guest (after one warm-up run).")]
    public int Repeat { get; set; }

    [Option("tier", HelpText = "Measure only this tier (interp, jit); default: each bundled guest under both, with the compiled tier's speed-up and compile statistics; --minix runs the command line's default, jit, unless given.")]
    public string? Tier { get; set; }

    [Option("quiet", HelpText = "No live status line on a terminal (it is never drawn when output is redirected).")]
    public bool Quiet { get; set; }

    [Option("guest", HelpText = "Benchmark this multiboot kernel instead of the bundled guests.")]
    public string? Guest { get; set; }

    [Option("gdb", HelpText = "Also measure the GDB stub: MIPS with a client attached and no breakpoints, and single-step round trips per second.")]
    public bool Gdb { get; set; }

    [Option("trace", HelpText = "Also measure the tracer: slowdown against run, traced calls per second, writer rate, analyze time.")]
    public bool Trace { get; set; }

    [Option("reports", HelpText = "Measure the reports instead of guests: the HTML report's size and load time in headless Chromium (--html-calls), the Parquet export rate and a DuckDB query (--analyze-calls).")]
    public bool Reports { get; set; }

    [Option("html-calls", Default = 1_000_000L, HelpText = "Calls in the synthetic trace whose HTML report --reports measures.")]
    public long HtmlCalls { get; set; }

    [Option("analyze-calls", Default = 10_000_000L, HelpText = "Calls in the synthetic trace timed by --trace's analyze measurement and --reports' Parquet export and query.")]
    public long AnalyzeCalls { get; set; }

    [Option("linux", HelpText = "Benchmark the boot of this Linux bzImage (with --initrd) to its power-off, on the APIC PC and the legacy PC, instead of the bundled guests.")]
    public string? Linux { get; set; }

    [Option("initrd", HelpText = "The initramfs for --linux; its init should power the machine off.")]
    public string? Initrd { get; set; }

    [Option("append", Default = "console=ttyS0 panic=-1", HelpText = "The kernel command line for --linux.")]
    public string Append { get; set; } = "console=ttyS0 panic=-1";

    [Option("disk-boot", HelpText = "A MINIX directory (kernel, mod*, cmdline.txt, disk-boot.img[.gz], e.g. ../shared/minix): time power-on to login: with the built-in loader booting disk-boot.img against the multiboot boot of the same kernel, modules and disk.")]
    public string? DiskBoot { get; set; }

    [Option("bios", HelpText = "With --disk-boot: also time the boot through this firmware (SeaBIOS's bios-256k.bin), its time before the boot sector, and QEMU's boot of the same disk through it when qemu-system-i386 is installed.")]
    public string? Bios { get; set; }

    [Option("minix", HelpText = "A MINIX directory (kernel, mod*, cmdline.txt, disk.img[.gz], e.g. ../shared/minix): time its multiboot boot to login: with run and with trace --profile minix3, and QEMU's boot of the same files, instead of the bundled guests.")]
    public string? Minix { get; set; }

    [Option("qemu", Default = "qemu-system-i386", HelpText = "The QEMU (TCG) timed on the same guests, or on --minix's boot, for comparison: a name on PATH or a path; none to leave it out. The default is left out when it is not installed.")]
    public string Qemu { get; set; } = "qemu-system-i386";

    [Option("log-level", HelpText = "Diagnostics level (default warning).")]
    public string? LogLevel { get; set; }
}
