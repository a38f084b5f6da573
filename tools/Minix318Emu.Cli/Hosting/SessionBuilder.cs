using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Scripting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Debug;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Emulator.Processor.Compiler;
using Minix318Emu.Emulator.Snapshots;
using Minix318Emu.Images.Linux;
using Minix318Emu.Images.Minix.Boot;
using Minix318Emu.Images.Multiboot;
using Serilog;

namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// Turns settings into a booted <see cref="Session"/>: picks the boot route (firmware with
/// --bios, Linux for a bzImage, multiboot otherwise, the built-in MINIX loader for a --disk
/// given without a kernel, the verb's bundled guest when there is neither), refuses option
/// combinations that route cannot honour, builds the board and attaches the debug console,
/// GDB stub, console script, host input and typed keys. Every verb boots through here.
/// </summary>
public static class SessionBuilder
{
    /// <summary>Builds the session; bad settings throw <see cref="UsageException"/> (or <see cref="Images.ImageFormatException"/> for a bad image).</summary>
    public static Session Build(EmulatorSettings s, SessionRequest request)
    {
        bool fromDisk = s.Kernel is null && s.Bios is null && s.Disks.Count > 0;
        bool bundled = s.Kernel is null && s.Bios is null && !fromDisk;
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
        BootRoute route = fromDisk ? ChooseDiskRoute(settings) : ChooseRoute(settings, plan);
        if (settings.BootEntry is { } requested && route != BootRoute.MinixDisk)
        {
            throw new UsageException($"--boot-entry {requested} chooses what the built-in MINIX loader boots from a --disk; it cannot be used with {(settings.Bios is not null ? "--bios" : "--kernel")}");
        }
        ExecutionTier? tier = settings.Tier.Length == 0 ? null : ParseTier(settings.Tier);
        ConsoleScript? script = LoadScript(settings, request);
        StateFile? state = StateOptions.Check(settings);
        bool appendConsole = ContinueConsole(settings, request, state);

        BoardConfig board = BoardSetup.Create(settings, appendConsole);
        ConsoleScriptRunner? runner = script is null ? null : new ConsoleScriptRunner(script, board.Com1Sink);
        if (runner is not null)
        {
            board = board with { Com1Sink = runner };
        }
        BootedPc? booted = null; // the trigger's save, when the run goes on after it, needs the board built below
        StateSaveTrigger? trigger = settings.SaveStateAt.Length == 0 ? null : new StateSaveTrigger(TextEscapes.Decode(settings.SaveStateAt), board.Com1Sink,
            request.ContinueAfterSaveAt ? _ => booted!.Board.SaveState(settings.SaveState) : null);
        if (trigger is not null)
        {
            board = board with { Com1Sink = trigger };
        }
        BootedPc pc;
        IReadOnlyList<BootFile>? diskFiles = null;
        try
        {
            pc = route switch
            {
                BootRoute.MinixDisk => BootFromDisk(settings, plan, board, out diskFiles),
                BootRoute.Firmware => MachineFactory.BootFirmware(BoardSetup.ReadFirmware(settings.Bios!), plan.RamBytes, board, settings.InstructionsPerSecond,
                    BoardSetup.ReadVgaBios(settings.Bios!)),
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
        if (tier is { } t)
        {
            pc.Machine.Cpu.Tier = t;
        }
        booted = pc;
        if (state is not null)
        {
            try
            {
                StateOptions.Resume(pc, state);
            }
            catch
            {
                pc.Board.Dispose();
                throw;
            }
        }

        DebugConsole? debugcon = null;
        GdbServer? gdb = null;
        FileStream? screen = null;
        try
        {
            screen = OpenScreen(settings.Screen);
            debugcon = BoardSetup.AttachDebugConsole(settings.Debugcon, pc.Machine.Io);
            gdb = StartGdb(settings, pc);
            if (settings.SaveState.Length > 0)
            {
                _ = pc.Board.StateParts(); // a device without snapshot support is refused now, not after the run
            }
        }
        catch
        {
            gdb?.Dispose();
            debugcon?.Dispose();
            screen?.Dispose();
            pc.Board.Dispose();
            throw;
        }
        trigger?.Start(pc.Machine);
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
        var files = new List<BootFile>(diskFiles ?? []);
        if (route == BootRoute.Multiboot)
        {
            files.Add(new BootFile(plan.Kernel, IsKernel: true));
            files.AddRange(plan.Modules.Select(m => new BootFile(m.Path, IsKernel: false)));
        }
        return new Session(pc, route, plan.Limits, files, screen, debugcon, gdb, runner)
        {
            SaveStatePath = settings.SaveState.Length > 0 && !request.ContinueAfterSaveAt ? settings.SaveState : null,
            LoadedState = state,
        };
    }

    /// <summary>
    /// Prepares the console file for <see cref="SessionRequest.ContinueConsoleFile"/>: cut back
    /// to the saving run's console, to be appended to. A state without the position (its run's
    /// console went elsewhere) starts the file afresh, saying so.
    /// </summary>
    private static bool ContinueConsole(EmulatorSettings s, SessionRequest request, StateFile? state)
    {
        if (request.ContinueConsoleFile is not { } option || state is null || !s.Serial.StartsWith("file:", StringComparison.Ordinal))
        {
            return false;
        }
        string path = s.Serial[5..];
        if (!state.Has(ConsoleFilePosition.StateId))
        {
            Console.Error.WriteLine($"minix318emu: {option}: {state.Path} holds no console position (its run's console went elsewhere), so {path} holds the resumed run's console only");
            return false;
        }
        var at = new ConsoleFilePosition();
        state.Load(ConsoleFilePosition.StateId, at);
        at.Truncate(path, option);
        return true;
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

    /// <summary>The built-in loader's route: the disk names the kernel, its modules and their command lines.</summary>
    private static BootRoute ChooseDiskRoute(EmulatorSettings s)
    {
        string route = "a MINIX disk booted without --kernel (its boot.cfg names the kernel and modules)";
        Refuse(s.Modules.Count > 0, "--module", route);
        Refuse(s.Initrd is not null, "--initrd", route);
        if (s.BootEntry is < 1)
        {
            throw new UsageException($"--boot-entry {s.BootEntry}: menu entries are numbered from 1");
        }
        return BootRoute.MinixDisk;
    }

    /// <summary>Plans the boot of the board's first disk and loads it; --append adds to the entry's command line.</summary>
    private static BootedPc BootFromDisk(EmulatorSettings s, RunPlan plan, BoardConfig board, out IReadOnlyList<BootFile> files)
    {
        DiskImage disk = MinixDiskBoot.BootDisk(board);
        (MinixBootPlan boot, string commandLine) = MinixDiskBoot.Plan(disk, s.BootEntry, s.Append);
        foreach (string warning in boot.Warnings)
        {
            Console.Error.WriteLine($"minix318emu: warning: {disk.Path}: {warning}");
        }
        Log.Information("booting {Image} {Volume} entry {Entry} ({Description}): {CommandLine} with {Modules} module(s)",
            disk.Path, boot.Volume, boot.Entry.Number, boot.Entry.Description, commandLine, boot.Modules.Count);
        files = MinixDiskBoot.Files(disk.Path, boot);
        return MachineFactory.BootLoaded(MinixDiskBoot.Load(disk.Path, boot, commandLine, plan.RamBytes), plan.RamBytes, board, s.InstructionsPerSecond);
    }

    /// <summary>The tier named by --tier; anything else is a usage error naming it. Without --tier a machine runs <see cref="Emulator.Processor.Cpu.DefaultTier"/>.</summary>
    internal static ExecutionTier ParseTier(string name) => name.ToLowerInvariant() switch
    {
        "interp" => ExecutionTier.Interp,
        "jit" => ExecutionTier.Jit,
        "check" => ExecutionTier.Check,
        _ => throw new UsageException($"--tier {name}: not a tier (interp, jit or check)"),
    };

    private static void Refuse(bool given, string option, string route)
    {
        if (given)
        {
            throw new UsageException($"{option} cannot be used with {route}");
        }
    }

    /// <summary>Creates the --screen file now, so a path that cannot be written is refused before the run rather than after it.</summary>
    private static FileStream? OpenScreen(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--screen {path}: cannot create the file ({e.Message})");
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
