using Minix318Emu.Cli.Scripting;
using Minix318Emu.Devices.Debug;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// A booted machine with everything the options attached to it (debug console, GDB stub,
/// console script, host input, typed keys), ready to run once. Built by
/// <see cref="SessionBuilder"/> for every verb, so `run`, `trace` and `bench` boot the same way.
/// </summary>
public sealed class Session : IDisposable
{
    private readonly FileStream? _screen;
    private readonly DebugConsole? _debugcon;
    private bool _boardClosed;

    internal Session(BootedPc pc, BootRoute route, RunLimits limits, IReadOnlyList<BootFile> files, FileStream? screen,
        DebugConsole? debugcon, GdbServer? gdb, ConsoleScriptRunner? script)
    {
        Pc = pc;
        Route = route;
        Limits = limits;
        Files = files;
        _screen = screen;
        _debugcon = debugcon;
        Gdb = gdb;
        Script = script;
    }

    /// <summary>The machine and its board.</summary>
    public BootedPc Pc { get; }

    /// <summary>The machine.</summary>
    public PcMachine Machine => Pc.Machine;

    /// <summary>How it was booted.</summary>
    public BootRoute Route { get; }

    /// <summary>The run's instruction and time limits.</summary>
    public RunLimits Limits { get; }

    /// <summary>The ELF files the route loaded (kernel first), whose symbols a tracer can use.</summary>
    public IReadOnlyList<BootFile> Files { get; }

    /// <summary>The GDB stub, when --gdb was given.</summary>
    public GdbServer? Gdb { get; }

    /// <summary>The console script being played, if any.</summary>
    public ConsoleScriptRunner? Script { get; }

    /// <summary>Where the state is saved when the run ends (--save-state), or null.</summary>
    public string? SaveStatePath { get; init; }

    /// <summary>The state the machine was resumed from (--load-state), or null; a tracer finds its own section here.</summary>
    public StateFile? LoadedState { get; init; }

    /// <summary>The size of the state file written at the end of the run and how long the save took, or null.</summary>
    public (long Bytes, TimeSpan Elapsed)? Saved { get; private set; }

    /// <summary>
    /// Runs the machine until the guest, a limit, the console script or Ctrl-C ends it; then
    /// flushes the console and written-through disks and writes the --screen file, whatever
    /// ended the run.
    /// </summary>
    public RunResult Run(Action? beforeClose = null, Func<IEnumerable<(string Id, ISnapshotState Part)>>? extraState = null)
    {
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            Machine.Interrupt();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            RunResult result = Machine.Run(Limits);
            if (SaveStatePath is not null)
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                long bytes = Pc.Board.SaveState(SaveStatePath, extraState?.Invoke());
                Saved = (bytes, sw.Elapsed);
                Console.Error.WriteLine($"minix318emu: state saved to {SaveStatePath} at instruction {Machine.Cpu.InstructionCount} ({bytes} bytes in {sw.Elapsed.TotalMilliseconds:0} ms)");
            }
            return result;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            beforeClose?.Invoke();
            CloseBoard();
        }
    }

    private void CloseBoard()
    {
        if (_boardClosed)
        {
            return;
        }
        _boardClosed = true;
        Pc.Board.Dispose(); // flushes the console and written-through disks
        if (_screen is not null)
        {
            // Opened when the session was built, so a bad path was refused before the run.
            using var writer = new StreamWriter(_screen);
            writer.Write(Pc.Board.Vga.ScreenText());
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        CloseBoard();
        _screen?.Dispose();
        Gdb?.Dispose();
        _debugcon?.Dispose();
    }
}
