using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Scripting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Debug;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Images.Linux;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// Turns settings into a booted <see cref="Session"/>: picks the boot route (firmware with
/// --bios, Linux for a bzImage, multiboot otherwise, the verb's bundled guest when no kernel is
/// given), refuses option combinations that route cannot honour, builds the board and attaches
/// the debug console, GDB stub, console script, host input and typed keys. Every verb boots
/// through here.
/// </summary>
public static class SessionBuilder
{
    /// <summary>Builds the session; bad settings throw <see cref="UsageException"/> (or <see cref="Images.ImageFormatException"/> for a bad image).</summary>
    public static Session Build(EmulatorSettings s, SessionRequest request)
    {
        bool bundled = s.Kernel is null && s.Bios is null;
        var settings = s;
        if (bundled)
        {
            settings = s.Copy();
            settings.Kernel = BundledGuests.PathOf(request.DefaultGuest);
            if (settings.Modules.Count == 0)
            {
                settings.Modules = request.DefaultGuestModules.Select(BundledGuests.PathOf).ToList();
            }
        }
        RunPlan plan = RunPlan.From(settings);
        BootRoute route = ChooseRoute(settings, plan);
        ConsoleScript? script = LoadScript(settings, request);

        BoardConfig board = BoardSetup.Create(settings);
        ConsoleScriptRunner? runner = script is null ? null : new ConsoleScriptRunner(script, board.Com1Sink);
        if (runner is not null)
        {
            board = board with { Com1Sink = runner };
        }
        BootedPc pc;
        try
        {
            pc = route switch
            {
                BootRoute.Firmware => MachineFactory.BootFirmware(BoardSetup.ReadFirmware(settings.Bios!), plan.RamBytes, board, settings.InstructionsPerSecond),
                BootRoute.Linux => MachineFactory.BootLinux(plan.Kernel, settings.Initrd, settings.Append, plan.RamBytes, board, settings.InstructionsPerSecond),
                _ => MachineFactory.Boot(plan.Kernel, settings.Append, plan.Modules, plan.RamBytes, board, settings.InstructionsPerSecond),
            };
        }
        catch
        {
            foreach (var d in board.Disks.Values)
            {
                d.Dispose();
            }
            throw;
        }
        pc.Machine.Realtime = settings.Realtime;

        DebugConsole? debugcon = null;
        GdbServer? gdb = null;
        try
        {
            debugcon = BoardSetup.AttachDebugConsole(settings.Debugcon, pc.Machine.Io);
            gdb = StartGdb(settings, pc);
        }
        catch
        {
            debugcon?.Dispose();
            pc.Board.Dispose();
            throw;
        }
        if (runner is not null)
        {
            runner.Start(pc.Machine, pc.Board.Com1);
        }
        else if (settings.Serial == "stdio" && request.HostInput)
        {
            StdinPump.Start(pc.Board.Com1);
            if (!Console.IsInputRedirected)
            {
                pc.Board.PollHostInput();
            }
        }
        if (settings.Keys.Length > 0)
        {
            pc.Board.TypeAt(pc.Machine.Clock.TicksFromNanoseconds(10_000_000), settings.Keys);
        }
        var files = new List<BootFile>();
        if (route == BootRoute.Multiboot)
        {
            files.Add(new BootFile(plan.Kernel, IsKernel: true));
            files.AddRange(plan.Modules.Select(m => new BootFile(m.Path, IsKernel: false)));
        }
        return new Session(pc, route, plan.Limits, files, settings.Screen, debugcon, gdb, runner);
    }

    /// <summary>The route the settings ask for; contradictions are usage errors naming the options.</summary>
    private static BootRoute ChooseRoute(EmulatorSettings s, RunPlan plan)
    {
        if (s.Bios is not null)
        {
            if (s.Kernel is not null)
            {
                throw new UsageException($"--bios {s.Bios} and --kernel {s.Kernel}: the firmware boots from the disks; give one or the other");
            }
            Refuse(s.Modules.Count > 0, "--module", "--bios (the firmware loads what it boots)");
            Refuse(s.Initrd is not null, "--initrd", "--bios (the firmware loads what it boots)");
            Refuse(s.Append.Length > 0, "--append", "--bios (the firmware loads what it boots)");
            return BootRoute.Firmware;
        }
        if (File.Exists(plan.Kernel) && LinuxLoader.IsLinuxKernel(plan.Kernel))
        {
            Refuse(s.Modules.Count > 0, "--module", $"a Linux kernel ({plan.Kernel}); give its initramfs with --initrd");
            return BootRoute.Linux;
        }
        Refuse(s.Initrd is not null, "--initrd", $"a multiboot kernel ({plan.Kernel}); give its files with --module");
        return BootRoute.Multiboot;
    }

    private static void Refuse(bool given, string option, string route)
    {
        if (given)
        {
            throw new UsageException($"{option} cannot be used with {route}");
        }
    }

    private static ConsoleScript? LoadScript(EmulatorSettings s, SessionRequest request)
    {
        if (s.ConsoleScript.Length > 0 && request.ArgumentScript is not null)
        {
            throw new UsageException($"--console-script {s.ConsoleScript} and --expect/--send: give the script one way");
        }
        if (s.ConsoleScript.Length > 0 && !File.Exists(s.ConsoleScript))
        {
            throw new UsageException($"--console-script {s.ConsoleScript}: no such file");
        }
        try
        {
            return s.ConsoleScript.Length > 0 ? ConsoleScript.Load(s.ConsoleScript) : request.ArgumentScript;
        }
        catch (FormatException e)
        {
            throw new UsageException($"--console-script {e.Message}");
        }
    }

    private static GdbServer? StartGdb(EmulatorSettings s, BootedPc pc)
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
            server = new GdbServer(pc.Machine, endpoint);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UsageException($"--gdb {s.Gdb}: cannot listen ({e.Message})");
        }
        pc.Machine.WaitForDebuggerAtStart = s.GdbWait;
        Console.Error.WriteLine($"minix318emu: gdb stub listening on {endpoint.Address}:{server.Port}{(s.GdbWait ? ", waiting for the debugger" : "")}");
        if (!System.Net.IPAddress.IsLoopback(endpoint.Address))
        {
            Console.Error.WriteLine($"minix318emu: warning: {endpoint.Address} is reachable from other machines, and whoever connects to the stub controls the guest (memory, registers, execution); the default 127.0.0.1 is not");
        }
        return server;
    }
}
