using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// The boots `bench` measures, built by <see cref="SessionBuilder"/> like every other verb's
/// (the same routes, board set-up and checks): a kernel with its command line, or a Linux kernel
/// with an initrd, on 256 MiB, the console discarded (or into a file), no host input.
/// </summary>
internal static class BenchSession
{
    /// <summary>
    /// A session booting <paramref name="kernel"/> (multiboot, or Linux when it is a bzImage) with
    /// <paramref name="append"/>; with <paramref name="gdb"/> the GDB stub listens on a free
    /// loopback port and the machine waits for the client before its first instruction;
    /// <paramref name="tier"/> is --tier's value (empty: the default); <paramref name="serial"/> is
    /// --serial's (none, or file:PATH for a run whose output is compared).
    /// </summary>
    public static Session Build(string kernel, string append, ulong maxInstructions, string? initrd = null, bool apic = true,
        string memory = "256M", bool gdb = false, string tier = "", string serial = "none") =>
        SessionBuilder.Build(new EmulatorSettings
        {
            Kernel = kernel,
            Append = append,
            Initrd = initrd,
            NoApic = !apic,
            Memory = memory,
            Serial = serial,
            MaxInstructions = maxInstructions,
            Gdb = gdb ? "127.0.0.1:0" : "",
            GdbWait = gdb,
            Tier = tier,
        }, new SessionRequest { Verb = "bench", HostInput = false });
}
