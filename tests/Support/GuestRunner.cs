using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Tests.Support;

/// <summary>Boots a guest kernel in-process and returns its serial output and how the run ended.</summary>
internal static class GuestRunner
{
    public sealed record Outcome(string Serial, RunResult Result, BootedPc Pc);

    public static Outcome Run(string kernel, uint ramMiB = 256, string append = "", IReadOnlyList<ModuleSpec>? modules = null, ulong maxInstructions = 2_000_000_000, Action<BootedPc>? configure = null)
    {
        var sink = new MemorySerialSink();
        BootedPc pc = MachineFactory.Boot(kernel, append, modules ?? Array.Empty<ModuleSpec>(), ramMiB << 20, sink);
        configure?.Invoke(pc);
        RunResult r = pc.Machine.Run(new RunLimits(maxInstructions));
        return new Outcome(sink.Text, r, pc);
    }
}
