using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>`minix318emu run`: boot a kernel headless with the console on COM1.</summary>
[Verb("run", isDefault: false, HelpText = "Boot a multiboot kernel headless; the guest's console is COM1.")]
public sealed class RunOptions : MachineOptions
{
}
