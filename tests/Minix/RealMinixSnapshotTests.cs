using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Snapshots;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Snapshots;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Minix;

/// <summary>
/// The real MINIX resumed from the state saved at "login: " by the shared session boot: the same
/// console script from its login step on gives the rest of that boot's console byte for byte,
/// the same power-off, and the same final machine (every register, RAM page, device, clock event
/// and disk-overlay sector), with no second boot.
/// </summary>
[Collection(RealMinixSessionCollection.Name)]
public sealed class RealMinixSnapshotTests
{
    private readonly RealMinixSessionTests.Boot _boot;

    public RealMinixSnapshotTests(RealMinixSessionTests.Boot boot) => _boot = boot;

    [SkippableFact]
    public void ResumedAtLogin_FinishesTheSessionExactlyAsTheUninterruptedBoot()
    {
        Skip.If(_boot.Outcome is null, $"the real MINIX is not at {RealMinix.DirectoryPath}");
        MinixDistribution d = MinixDistribution.Open(RealMinix.DirectoryPath);
        string console = Path.Combine(_boot.Folder, "resumed-console.txt");
        var settings = MinixSession.Settings(d, _boot.Disk, console);
        settings.LoadState = _boot.LoginState;
        string final = Path.Combine(_boot.Folder, "resumed-final.state");
        string[] script = MinixScript.LoginRunPowerOff(RealMinixSessionTests.Boot.Commands).Where(l => l != "expect \"login: \"").ToArray();

        MinixSession.Outcome resumed = MinixSession.Run(settings, script, finalState: final);

        string straight = _boot.Outcome!.Console;
        int login = straight.IndexOf("login: ", StringComparison.Ordinal) + "login: ".Length;
        Assert.True(login > 0);
        Assert.Equal(straight[login..], resumed.Console);
        Assert.Equal(StopReason.PowerOff, resumed.Result.Reason);
        Assert.Equal(_boot.Outcome.Result.Instructions, StateFile.Read(_boot.LoginState).Instructions + resumed.Result.Instructions);
        SnapshotRoundTrip.AssertSameMachine(StateFile.Read(_boot.FinalState), StateFile.Read(final));
    }
}
