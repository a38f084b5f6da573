using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Options;
using Minix318Emu.Devices.Board;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Serilog;

namespace Minix318Emu.Cli.Commands;

/// <summary>`run`: boots a kernel and runs it until the guest or a limit ends the run.</summary>
public static class RunCommand
{
    /// <summary>Runs the verb; returns the process exit code.</summary>
    public static int Execute(RunOptions options)
    {
        EmulatorSettings s = SettingsLoader.Load(options);
        Logging.Configure(s.LogLevel);
        var plan = RunPlan.From(s);
        BoardConfig board = BoardSetup.Create(s);
        BootedPc pc = s.Bios is { } bios
            ? MachineFactory.BootFirmware(BoardSetup.ReadFirmware(bios), plan.RamBytes, board, s.InstructionsPerSecond)
            : File.Exists(plan.Kernel) && Images.Linux.LinuxLoader.IsLinuxKernel(plan.Kernel)
                ? MachineFactory.BootLinux(plan.Kernel, s.Initrd, s.Append, plan.RamBytes, board, s.InstructionsPerSecond)
                : MachineFactory.Boot(plan.Kernel, s.Append, plan.Modules, plan.RamBytes, board, s.InstructionsPerSecond);
        pc.Machine.Realtime = s.Realtime;
        using Devices.Debug.DebugConsole? debugcon = BoardSetup.AttachDebugConsole(s.Debugcon, pc.Machine.Io);
        using GdbServer? gdb = StartGdb(s, pc.Machine);
        Log.Information("booting {Kernel} with {Modules} module(s), {Ram} MiB RAM", s.Bios ?? plan.Kernel, plan.Modules.Count, plan.RamBytes >> 20);
        if (s.Serial == "stdio")
        {
            StdinPump.Start(pc.Board.Com1);
            if (!Console.IsInputRedirected)
            {
                pc.Board.PollHostInput();
            }
        }
        if (s.Keys.Length > 0)
        {
            pc.Board.TypeAt(pc.Machine.Clock.TicksFromNanoseconds(10_000_000), s.Keys);
        }
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            pc.Machine.Interrupt();
        };
        Console.CancelKeyPress += onCancel;
        RunResult result;
        try
        {
            result = pc.Machine.Run(plan.Limits);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            pc.Board.Dispose(); // flushes the console and written-through disks
            if (s.Screen.Length > 0)
            {
                File.WriteAllText(s.Screen, pc.Board.Vga.ScreenText());
            }
        }
        Report(result);
        return ExitCodes.For(result);
    }

    private static GdbServer? StartGdb(EmulatorSettings s, PcMachine machine)
    {
        if (s.Gdb.Length == 0)
        {
            if (s.GdbWait)
            {
                throw new UsageException("--gdb-wait needs --gdb [HOST:]PORT (or -s)");
            }
            return null;
        }
        if (!GdbServer.TryParseEndpoint(s.Gdb, out var endpoint, out string error))
        {
            throw new UsageException($"--gdb {error}");
        }
        GdbServer server;
        try
        {
            server = new GdbServer(machine, endpoint);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"--gdb {s.Gdb}: cannot listen ({e.Message})");
        }
        machine.WaitForDebuggerAtStart = s.GdbWait;
        Console.Error.WriteLine($"minix318emu: gdb stub listening on {endpoint.Address}:{server.Port}{(s.GdbWait ? ", waiting for the debugger" : "")}");
        return server;
    }

    private static void Report(RunResult r)
    {
        Log.Information("{Reason}: {Message} after {Instructions} instructions in {Seconds:0.000} s ({Mips:0.0} MIPS)",
            r.Reason, r.Message, r.Instructions, r.Elapsed.TotalSeconds, r.Mips);
        if (r.Reason is not (StopReason.GuestExit or StopReason.PowerOff))
        {
            Console.Error.WriteLine($"minix318emu: {r.Message}");
        }
    }
}

/// <summary>The validated inputs of a run.</summary>
public sealed record RunPlan(string Kernel, IReadOnlyList<ModuleSpec> Modules, uint RamBytes, RunLimits Limits)
{
    /// <summary>Validates settings into a plan; bad values throw <see cref="UsageException"/>.</summary>
    public static RunPlan From(EmulatorSettings s)
    {
        string kernel = s.Kernel ?? BundledGuests.PathOf("demo");
        ulong ram = SizeParser.Parse("--memory", s.Memory);
        if (ram < 2 << 20 || ram > 2047ul << 20 || (ram & 0xFFF) != 0)
        {
            throw new UsageException($"--memory '{s.Memory}': must be a multiple of 4 KiB between 2M and 2047M");
        }
        if (s.Timeout < 0 || double.IsNaN(s.Timeout))
        {
            throw new UsageException($"--timeout {s.Timeout}: must be a positive number of seconds");
        }
        if (s.InstructionsPerSecond == 0)
        {
            throw new UsageException("--ips 0: the guest clock rate must be positive");
        }
        var modules = new List<ModuleSpec>();
        foreach (string m in s.Modules)
        {
            string trimmed = m.Trim();
            if (trimmed.Length == 0)
            {
                throw new UsageException("--module: empty module specification");
            }
            int space = trimmed.IndexOf(' ');
            string path = space < 0 ? trimmed : trimmed[..space];
            modules.Add(new ModuleSpec(path, trimmed));
        }
        var limits = new RunLimits(s.MaxInstructions == 0 ? ulong.MaxValue : s.MaxInstructions,
            s.Timeout > 0 ? TimeSpan.FromSeconds(s.Timeout) : null);
        return new RunPlan(kernel, modules, (uint)ram, limits);
    }
}
