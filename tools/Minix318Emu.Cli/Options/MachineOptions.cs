using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>Options shared by every verb that boots a machine. Null means "not given": configuration decides.</summary>
public abstract class MachineOptions
{
    [Option("kernel", HelpText = "Multiboot kernel (ELF32 or a.out-kludge). Default: the bundled demo guest.")]
    public string? Kernel { get; set; }

    [Option("module", HelpText = "A boot module: \"FILE [ARGS]\"; repeat for more. The whole string is the module's command line.")]
    public IEnumerable<string> Modules { get; set; } = Array.Empty<string>();

    [Option("append", HelpText = "The kernel command line.")]
    public string? Append { get; set; }

    [Option("memory", HelpText = "RAM size, e.g. 256M or 1G (default 256M).")]
    public string? Memory { get; set; }

    [Option("serial", HelpText = "COM1 output: stdio, file:PATH or none (default stdio).")]
    public string? Serial { get; set; }

    [Option("max-instructions", HelpText = "Stop after this many guest instructions (exit code 8).")]
    public ulong? MaxInstructions { get; set; }

    [Option("timeout", HelpText = "Stop after this many host seconds (exit code 8).")]
    public double? Timeout { get; set; }

    [Option("ips", HelpText = "Guest clock rate in instructions per guest second (default 100000000).")]
    public ulong? InstructionsPerSecond { get; set; }

    [Option("log-level", HelpText = "Diagnostics level: verbose, debug, information, warning, error (default warning).")]
    public string? LogLevel { get; set; }

    [Option("config", HelpText = "An extra JSON configuration file (same keys as appsettings.json).")]
    public string? ConfigFile { get; set; }
}
