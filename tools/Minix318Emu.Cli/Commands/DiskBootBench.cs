using System.Diagnostics;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Scripting;
using Minix318Emu.Emulator.Machine;
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
/// </summary>
internal static class DiskBootBench
{
    private const ulong MaxInstructions = 3_000_000_000;

    public static int Run(string directory, int repeat)
    {
        MinixDistribution d = MinixDistribution.Open(directory);
        string disk = d.Disk("disk-boot.img", MinixDistribution.DefaultCache);
        var routes = new (string Name, EmulatorSettings Settings)[]
        {
            ("built-in loader", new EmulatorSettings { Disks = [disk], Serial = "none", MaxInstructions = MaxInstructions }),
            ("multiboot", new EmulatorSettings { Kernel = d.Kernel, Modules = d.Modules.ToList(), Append = d.CommandLine, Disks = [disk], Serial = "none", MaxInstructions = MaxInstructions }),
        };
        var results = routes.Select(_ => new List<(TimeSpan Wall, TimeSpan Cpu, TimeSpan Load, RunResult Result)>()).ToArray();
        for (int i = 0; i <= repeat; i++)
        {
            for (int r = 0; r < routes.Length; r++)
            {
                var run = Measure(routes[r].Settings);
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
        }
        Console.WriteLine($"{"boot to login:",-16} {"instructions",14} {"wall s",8} {"min",8} {"max",8} {"CPU s",8} {"load ms",8}  (medians of {repeat}, after 1 warm-up, alternating)");
        var wall = new double[routes.Length];
        var cpu = new double[routes.Length];
        for (int r = 0; r < routes.Length; r++)
        {
            var byWall = results[r].OrderBy(x => x.Wall).ToList();
            wall[r] = byWall[byWall.Count / 2].Wall.TotalSeconds;
            cpu[r] = results[r].Select(x => x.Cpu.TotalSeconds).Order().ElementAt(byWall.Count / 2);
            double load = results[r].Select(x => x.Load.TotalMilliseconds).Order().ElementAt(byWall.Count / 2);
            Console.WriteLine($"{routes[r].Name,-16} {byWall[0].Result.Instructions,14} {wall[r],8:0.000} {byWall[0].Wall.TotalSeconds,8:0.000} {byWall[^1].Wall.TotalSeconds,8:0.000} {cpu[r],8:0.000} {load,8:0.0}");
        }
        Console.WriteLine($"built-in loader - multiboot: {wall[0] - wall[1]:+0.000;-0.000} s wall, {cpu[0] - cpu[1]:+0.000;-0.000} s CPU");
        return 0;
    }

    private static (TimeSpan Wall, TimeSpan Cpu, TimeSpan Load, RunResult Result) Measure(EmulatorSettings settings)
    {
        // The previous run's machine (256 MiB of RAM) is garbage now; collect it here, not during this run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        TimeSpan cpuStart = self.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        using Session session = SessionBuilder.Build(settings.Copy(), new SessionRequest
        {
            Verb = "bench",
            ArgumentScript = ConsoleScript.Parse(["expect \"login: \"", "stop"], "bench"),
            HostInput = false,
        });
        TimeSpan loaded = sw.Elapsed;
        RunResult r = session.Run();
        TimeSpan wall = sw.Elapsed;
        self.Refresh();
        return (wall, self.TotalProcessorTime - cpuStart, loaded, r);
    }
}
