using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Scripting;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Minix;

namespace Minix318Emu.Tests.Support;

/// <summary>
/// Boots the real MINIX (../shared/minix) in-process through the session builder, as `run`
/// does, with a console script, and returns what the console showed. One boot takes 300-500 M
/// instructions, so test classes share one boot between their assertions.
/// </summary>
internal static class MinixSession
{
    public sealed record Outcome(string Console, RunResult Result, Session Session);

    /// <summary>The settings `run` would have for the distribution with <paramref name="disk"/> as the root disk.</summary>
    public static EmulatorSettings Settings(MinixDistribution d, string disk, string consoleFile) => new()
    {
        Kernel = d.Kernel,
        Modules = d.Modules.ToList(),
        Append = d.CommandLine,
        Disks = new List<string> { disk },
        Serial = "file:" + consoleFile,
    };

    /// <summary>
    /// Boots, plays <paramref name="script"/> (script-file lines) and runs to the end or <paramref name="maxInstructions"/>.
    /// With <paramref name="finalState"/> the machine's state at the end is saved there; with the
    /// settings' --save-state-at the state is saved at that text and the run goes on.
    /// </summary>
    public static Outcome Run(EmulatorSettings settings, string[] script, ulong maxInstructions = 3_000_000_000, Action<Session>? configure = null, string? finalState = null)
    {
        settings.MaxInstructions = maxInstructions;
        string consoleFile = settings.Serial["file:".Length..];
        Session session = SessionBuilder.Build(settings, new SessionRequest
        {
            ArgumentScript = ConsoleScript.Parse(script, "test script"),
            HostInput = false,
            ContinueAfterSaveAt = true,
        });
        configure?.Invoke(session);
        RunResult r;
        using (session)
        {
            r = session.Run(beforeClose: finalState is null ? null : () => session.Pc.Board.SaveState(finalState));
        }
        return new Outcome(File.ReadAllText(consoleFile, System.Text.Encoding.Latin1), r, session);
    }

    /// <summary>The console text between the line that echoes <paramref name="command"/> and the next prompt.</summary>
    public static string OutputOf(string console, string command)
    {
        string marker = "# " + command;
        int at = console.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"the command '{command}' was not echoed on the console:\n{console}");
        int start = console.IndexOf('\n', at) + 1;
        int end = console.IndexOf("\n# ", start - 1, StringComparison.Ordinal);
        return console[start..(end < 0 ? console.Length : end + 1)].Replace("\r", "");
    }
}
