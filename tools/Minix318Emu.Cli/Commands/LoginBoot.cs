using Minix318Emu.Cli.Configuration;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Cli.Scripting;

namespace Minix318Emu.Cli.Commands;

/// <summary>What the MINIX benchmarks share for one measured boot: a clean heap, and a session that stops at `login:`.</summary>
internal static class LoginBoot
{
    /// <summary>Collects the previous boot's machine (256 MiB of RAM, garbage now) before the clock starts, not during the measured boot.</summary>
    public static void CollectPreviousMachine()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>A session of <paramref name="settings"/> (copied) whose console script stops the run when `login: ` appears.</summary>
    public static Session Build(EmulatorSettings settings) => SessionBuilder.Build(settings.Copy(), new SessionRequest
    {
        Verb = "bench",
        ArgumentScript = ConsoleScript.Parse(["expect \"login: \"", "stop"], "bench"),
        HostInput = false,
    });
}
