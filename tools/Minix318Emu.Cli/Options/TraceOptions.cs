using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>`minix318emu trace`: run with allocation tracing, write the trace and its report.</summary>
[Verb("trace", HelpText = "Run a kernel with allocation tracing; write the trace and the report. With no --kernel, traces the bundled MINIX318-model guest.")]
public sealed class TraceOptions : MachineOptions
{
    [Option("profile", HelpText = "Allocator profile: minix318 (default), minix3, or a JSON file.")]
    public string? Profile { get; set; }

    [Option("symbols", HelpText = "More ELF files whose symbols apply to user programs; repeat for more (boot modules are used automatically).")]
    public IEnumerable<string> Symbols { get; set; } = Array.Empty<string>();

    [Option("out", HelpText = "Folder for trace.m318, the report and the console (default trace-out).")]
    public string? Out { get; set; }

    [Option("continue-trace", HelpText = "With --load-state of a state saved by trace: continue the trace.m318 in --out that the saving run wrote, cut back to the save point, so it ends as the uninterrupted trace, byte for byte.")]
    public bool ContinueTrace { get; set; }
}
