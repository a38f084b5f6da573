using System.Diagnostics;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Conformance;

/// <summary>The reference stopped making progress at a case.</summary>
public sealed class StuckCaseException(int @case, string message) : Exception(message)
{
    public int Case { get; } = @case;
}
