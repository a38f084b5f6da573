using System.Diagnostics;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor.Compiler;
using Minix318Emu.Images.Minix;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// `bench --disk-boot DIR`: power-on to `login:` of the same MINIX two ways: the built-in loader
/// booting disk-boot.img by itself, and the multiboot boot of DIR's kernel and modules with
/// cmdline.txt and the same disk as root disk. Each run is timed from the session's build
/// (files read, disk planned) to the guest tick `login: ` appears; the runs alternate, so the
/// machine's drift hits both alike; one warm-up pair, then the median of --repeat. Wall time
/// and the process's CPU time are both shown (on a shared machine the CPU time is the
/// steadier), and the load time: building the session, until the first guest instruction.
/// With --bios, a third route: the firmware (SeaBIOS) from the reset vector through the MBR,
/// bootxx and the boot monitor, with the instructions and wall time until the boot sector's
/// first instruction (linear 0x7C00, first reached); and, when qemu-system-i386 is on the PATH,
/// QEMU's boot of the same disk through the same BIOS, alternating with the others.
/// </summary>
internal static class DiskBootBench
{
    private const ulong MaxInstructions = 3_000_000_000;

    private sealed record Sample(TimeSpan Wall, TimeSpan Cpu, TimeSpan Load, RunResult Result, ulong FirmwareInstructions, TimeSpan FirmwareWall);

    public static int Run(string directory, int repeat, string? bios, ExecutionTier tier)
    {
        MinixDistribution d = MinixDistribution.Open(directory);
        string disk = d.Disk("disk-boot.img", MinixDistribution.DefaultCache);
        string tierName = tier.ToString().ToLowerInvariant();
        var routes = new List<(string Name, EmulatorSettings Settings)>
        {
            ("built-in loader", new EmulatorSettings { Disks = [disk], Serial = "none", MaxInstructions = MaxInstructions, Tier = tierName }),
            ("multiboot", new EmulatorSettings { Kernel = d.Kernel, Modules = d.Modules.ToList(), Append = d.CommandLine, Disks = [disk], Serial = "none", MaxInstructions = MaxInstructions, Tier = tierName }),
        };
        string? qemu = null;
        if (bios is not null)
        {
            BoardSetup.ReadFirmware(bios); // a missing or odd-sized image is refused before any run
            routes.Add(("firmware", new EmulatorSettings { Bios = bios, Disks = [disk], Serial = "none", MaxInstructions = 3 * MaxInstructions, Tier = tierName }));
            qemu = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "qemu-system-i386")).FirstOrDefault(File.Exists);
        }
        var results = routes.Select(_ => new List<Sample>()).ToArray();
        var qemuRuns = new List<QemuDiskBootTimer.Timing>();
        for (int i = 0; i <= repeat; i++)
        {
            for (int r = 0; r < routes.Count; r++)
            {
                Sample run = Measure(routes[r].Settings);
                if (run.Result.Reason != StopReason.ScriptStopped)
                {
                    Console.Error.WriteLine($"minix318emu: the {routes[r].Name} boot did not reach login: ({run.Result.Message})");
                    return ExitCodes.For(run.Result);
                }
                if (i > 0)
                {
                    results[r].Add(run);
                }
            }
            if (qemu is not null)
            {
                QemuDiskBootTimer.Timing? t = QemuDiskBootTimer.Run(qemu, bios!, disk, TimeSpan.FromMinutes(3), out string error);
                if (t is null)
                {
                    Console.Error.WriteLine($"minix318emu: {error}");
                    return ExitCodes.BadInput;
                }
                if (i > 0)
                {
                    qemuRuns.Add(t);
                }
            }
        }
        Console.WriteLine($"{"boot to login:",-16} {"instructions",14} {"wall s",8} {"min",8} {"max",8} {"CPU s",8} {"load ms",8}  (--tier {tierName}; medians of {repeat}, after 1 warm-up, alternating)");
        var wall = new double[routes.Count];
        var cpu = new double[routes.Count];
        for (int r = 0; r < routes.Count; r++)
        {
            var byWall = results[r].OrderBy(x => x.Wall).ToList();
            wall[r] = byWall[byWall.Count / 2].Wall.TotalSeconds;
            cpu[r] = results[r].Select(x => x.Cpu.TotalSeconds).Order().ElementAt(byWall.Count / 2);
            double load = results[r].Select(x => x.Load.TotalMilliseconds).Order().ElementAt(byWall.Count / 2);
            Console.WriteLine($"{routes[r].Name,-16} {byWall[0].Result.Instructions,14} {wall[r],8:0.000} {byWall[0].Wall.TotalSeconds,8:0.000} {byWall[^1].Wall.TotalSeconds,8:0.000} {cpu[r],8:0.000} {load,8:0.0}");
        }
        Console.WriteLine($"built-in loader - multiboot: {SignedNumber.Format(wall[0] - wall[1], 3)} s wall, {SignedNumber.Format(cpu[0] - cpu[1], 3)} s CPU");
        if (bios is null)
        {
            return 0;
        }
        List<Sample> fw = results[2];
        double fwWall = fw.Select(x => x.FirmwareWall.TotalSeconds).Order().ElementAt(fw.Count / 2);
        Console.WriteLine($"firmware before the boot sector (0000:7C00): {fw[0].FirmwareInstructions} instructions, {fwWall:0.000} s wall (median)");
        if (qemu is null)
        {
            Console.WriteLine("QEMU: qemu-system-i386 is not on the PATH; no comparison");
            return 0;
        }
        double qLogin = qemuRuns.Select(x => x.Login.TotalSeconds).Order().ElementAt(qemuRuns.Count / 2);
        var qSector = qemuRuns.Where(x => x.BootSector is not null).Select(x => x.BootSector!.Value.TotalSeconds).Order().ToList();
        string sector = qSector.Count > 0 ? $"{qSector[qSector.Count / 2]:0.000} s" : "not seen";
        double qCpu = qemuRuns.Select(x => x.LoginCpu.TotalSeconds).Order().ElementAt(qemuRuns.Count / 2);
        Console.WriteLine($"QEMU ({qemu}, same BIOS and disk): login: after {qLogin:0.000} s wall, {qCpu:0.000} s CPU; boot sector after {sector} (medians of {qemuRuns.Count}, from process start)");
        Console.WriteLine($"firmware route / QEMU: {wall[2] / qLogin:0.00}x wall and {cpu[2] / qCpu:0.00}x CPU to login:{(qSector.Count > 0 ? $", {fwWall / qSector[qSector.Count / 2]:0.00}x wall to the boot sector" : "")}");
        return 0;
    }

    private static Sample Measure(EmulatorSettings settings)
    {
        LoginBoot.CollectPreviousMachine();
        using var self = Process.GetCurrentProcess();
        TimeSpan cpuStart = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        using Session session = LoginBoot.Build(settings);
        TimeSpan loaded = sw.Elapsed;
        ulong sectorInstructions = 0;
        TimeSpan sectorWall = TimeSpan.Zero;
        var cpu = session.Machine.Cpu;
        cpu.Hooks.Add(0x7C00, "bench", _ =>
        {
            if (sectorInstructions == 0)
            {
                sectorInstructions = cpu.InstructionCount;
                sectorWall = sw.Elapsed;
            }
            return false;
        });
        RunResult r = session.Run();
        TimeSpan wall = sw.Elapsed;
        self.Refresh();
        return new Sample(wall, self.TotalProcessorTime - cpuStart, loaded, r, sectorInstructions, sectorWall);
    }
}
