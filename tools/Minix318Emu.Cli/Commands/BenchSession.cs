using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// The boots `bench` measures, built by <see cref="SessionBuilder"/> like every other verb's
/// (the same routes, board set-up and checks): a kernel with its command line, or a Linux kernel
/// with an initrd, on 256 MiB, the console discarded, no host input.
/// </summary>
internal static class BenchSession
{
    /// <summary>A session booting <paramref name="kernel"/> (multiboot, or Linux when it is a bzImage) with <paramref name="append"/>.</summary>
    public static Session Build(string kernel, string append, ulong maxInstructions, string? initrd = null, bool apic = true) =>
        SessionBuilder.Build(new EmulatorSettings
        {
            Kernel = kernel,
            Append = append,
            Initrd = initrd,
            NoApic = !apic,
            Serial = "none",
            MaxInstructions = maxInstructions,
        }, new SessionRequest { Verb = "bench", HostInput = false });
}
