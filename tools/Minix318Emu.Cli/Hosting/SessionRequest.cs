using Minix318Emu.Cli.Scripting;

namespace Minix318Emu.Cli.Hosting;

/// <summary>
/// What a verb asks of the session builder beyond the shared settings: the kernel (and modules)
/// to boot when none is given, and a console script from the command line.
/// </summary>
public sealed record SessionRequest
{
    /// <summary>The verb, for messages.</summary>
    public string Verb { get; init; } = "run";

    /// <summary>The bundled guest to boot when no kernel, firmware or disk route is given.</summary>
    public string DefaultGuest { get; init; } = "demo";

    /// <summary>Bundled modules for <see cref="DefaultGuest"/> when no --module is given.</summary>
    public IReadOnlyList<string> DefaultGuestModules { get; init; } = Array.Empty<string>();

    /// <summary>The --expect/--send script recovered in command-line order, or null.</summary>
    public ConsoleScript? ArgumentScript { get; init; }

    /// <summary>
    /// With --save-state-at: save there and let the run go on instead of ending it (a test compares
    /// a resumed run with the rest of this same run, so one boot serves both).
    /// </summary>
    public bool ContinueAfterSaveAt { get; init; }

    /// <summary>
    /// With --load-state and COM1 going to a file: continue that file from where the saving run's
    /// console ended (its <see cref="ConsoleFilePosition"/> in the state) instead of starting it
    /// afresh; the option named in errors (trace's --continue-trace), or null for a new file.
    /// </summary>
    public string? ContinueConsoleFile { get; init; }

    /// <summary>Whether host standard input may feed COM1 (the interactive verbs; never with a console script).</summary>
    public bool HostInput { get; init; } = true;
}
