using System.Security.Cryptography;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Minix;

/// <summary>
/// The real MINIX 3.4 booted by multiboot with its root disk behind the default copy-on-write
/// overlay, driven by a console script like a person at a terminal: log in as root, uname, ls,
/// a pipe, a file written and read back, sync, and MINIX's own poweroff (ACPI S5). One boot,
/// shared by every assertion here; it also saves the machine at "login: " and at its end, and
/// the snapshot test resumes from the first to compare with the rest of this same boot.
/// </summary>
[Collection(RealMinixSessionCollection.Name)]
public sealed class RealMinixSessionTests
{
    private readonly Boot _boot;

    public RealMinixSessionTests(Boot boot) => _boot = boot;

    /// <summary>The shared boot (null outcome when ../shared/minix is absent).</summary>
    public sealed class Boot : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-minix-").FullName;

        public Boot()
        {
            if (!File.Exists(Path.Combine(RealMinix.DirectoryPath, "kernel")))
            {
                return;
            }
            MinixDistribution d = MinixDistribution.Open(RealMinix.DirectoryPath);
            Disk = RealMinix.RootDisk(d);
            HashBefore = Hash(Disk);
            var settings = MinixSession.Settings(d, Disk, Path.Combine(_dir, "console.txt"));
            settings.SaveState = LoginState;
            settings.SaveStateAt = "login: ";
            Outcome = MinixSession.Run(settings, MinixScript.LoginRunPowerOff(Commands), finalState: FinalState);
            HashAfter = Hash(Disk);
        }

        internal MinixSession.Outcome? Outcome { get; }

        /// <summary>The commands the session runs after logging in.</summary>
        public static readonly string[] Commands =
            { "uname -a", "ls /", "cat /etc/rc | wc -l", $"echo {MinixScript.Note} > /root/note.txt; sync", "cat /root/note.txt" };

        /// <summary>The machine saved when "login: " appeared (the boot went on).</summary>
        public string LoginState => Path.Combine(_dir, "login.state");

        /// <summary>The machine saved at the end of the boot's session.</summary>
        public string FinalState => Path.Combine(_dir, "final.state");

        /// <summary>A scratch folder that lives as long as the boot.</summary>
        public string Folder => _dir;

        public string Disk { get; } = "";

        public string HashBefore { get; } = "";

        public string HashAfter { get; } = "";

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static string Hash(string path)
        {
            using FileStream f = File.OpenRead(path);
            return Convert.ToHexString(SHA256.HashData(f));
        }
    }

    private MinixSession.Outcome Session
    {
        get
        {
            Skip.If(_boot.Outcome is null, $"the real MINIX is not at {RealMinix.DirectoryPath}");
            return _boot.Outcome!;
        }
    }

    [SkippableFact]
    public void Boot_ReachesLogin_AndPowersOffThroughAcpi()
    {
        Assert.Contains("MINIX 3.4.0.", Session.Console);
        Assert.Contains("/dev/c0d0p0 is mounted on /", Session.Console);
        Assert.Contains("login: root", Session.Console);
        Assert.Contains("poweroff: powered off by root", Session.Console);
        Assert.Equal(StopReason.PowerOff, Session.Result.Reason);
        Assert.True(Session.Session.Script!.Finished);
    }

    [SkippableFact]
    public void Uname_SaysMinix340OnI386() =>
        Assert.Matches(@"^Minix minix 3\.4\.0 .*i386\n$", MinixSession.OutputOf(Session.Console, "uname -a"));

    [SkippableFact]
    public void Ls_ListsTheRootDirectory()
    {
        string ls = MinixSession.OutputOf(Session.Console, "ls /");
        foreach (string entry in new[] { "bin", "boot", "dev", "etc", "proc", "root", "sbin", "service", "tmp", "usr" })
        {
            Assert.Matches($@"(^|\s){entry}(\s|$)", ls);
        }
    }

    [SkippableFact]
    public void Pipe_CountsTheLinesOfEtcRc() =>
        Assert.Equal("14", MinixSession.OutputOf(Session.Console, "cat /etc/rc | wc -l").Trim());

    [SkippableFact]
    public void WrittenFile_ReadsBack() =>
        Assert.Equal(MinixScript.Note + "\n", MinixSession.OutputOf(Session.Console, "cat /root/note.txt"));

    [SkippableFact]
    public void RootDisk_IsUnchanged_WithoutPersist()
    {
        _ = Session;
        Assert.Equal(_boot.HashBefore, _boot.HashAfter);
    }
}
