using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// Process exit codes. A guest exit through the exit device gives (V&lt;&lt;1)|1, always odd; the
/// emulator's own outcomes are even (see <see cref="StopReason"/>), so the two never collide.
/// </summary>
public static class ExitCodes
{
    /// <summary>Bad input: a command-line or configuration value, or an unusable image.</summary>
    public const int BadInput = (int)StopReason.BadInput;

    /// <summary>The exit code for a finished run.</summary>
    public static int For(RunResult r) => r.Reason switch
    {
        StopReason.GuestExit => r.ExitCode,
        StopReason.ScriptStopped => 0,
        StopReason.StateSaved => 0,
        _ => (int)r.Reason,
    };
}
