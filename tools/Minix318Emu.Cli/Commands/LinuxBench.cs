using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor.Compiler;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// `bench --linux BZIMAGE --initrd FILE`: boots a Linux kernel to the power-off its init asks
/// for, on the APIC PC and on the legacy PC, and reports instructions, wall time and MIPS (the
/// median of --repeat runs; no warm-up run, a boot is long enough to warm itself).
/// </summary>
internal static class LinuxBench
{
    public static int Run(string kernel, string? initrd, string append, int repeat, ExecutionTier tier)
    {
        if (!File.Exists(kernel))
        {
            throw new Configuration.UsageException($"--linux {kernel}: no such file");
        }
        if (initrd is not null && !File.Exists(initrd))
        {
            throw new Configuration.UsageException($"--initrd {initrd}: no such file");
        }
        Images.Linux.LinuxLoader.Load(kernel, initrd, append, 256u << 20); // a bad image is reported before the table starts
        string tierName = tier.ToString().ToLowerInvariant();
        Console.WriteLine($"{"linux boot",-16} {"instructions",14} {"median s",10} {"MIPS",8}  (--tier {tierName}; median of {repeat}, to power-off)");
        foreach (bool apic in new[] { true, false })
        {
            var runs = new List<RunResult>();
            for (int i = 0; i < repeat; i++)
            {
                using Session session = BenchSession.Build(kernel, append, maxInstructions: 40_000_000_000, initrd, apic, tier: tierName);
                runs.Add(BenchCommand.RunWithStatus(session, apic ? "linux, APIC PC" : "linux, legacy PC"));
            }
            runs.Sort((a, b) => a.Elapsed.CompareTo(b.Elapsed));
            RunResult m = runs[runs.Count / 2];
            Console.WriteLine($"{(apic ? "APIC PC" : "legacy PC"),-16} {m.Instructions,14} {m.Elapsed.TotalSeconds,10:0.00} {m.Mips,8:0.0}");
            if (m.Reason != StopReason.PowerOff)
            {
                Console.Error.WriteLine($"minix318emu: the Linux boot on the {(apic ? "APIC" : "legacy")} PC did not power off: {m.Message}");
                return ExitCodes.For(m);
            }
        }
        return 0;
    }
}
