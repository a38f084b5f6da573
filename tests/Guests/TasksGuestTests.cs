using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// The tasks guest switches tasks by CALL, IRET, JMP through a GDT task gate, INT through an
/// IDT task gate, and #GP through a task gate, printing TR, NT, the back link, CR0.TS, the busy
/// bits and what the TSSs saved; QEMU prints the same.
/// </summary>
public sealed class TasksGuestTests
{
    [Fact]
    public void TaskSwitches_FollowTheSdmsTable()
    {
        var r = GuestRunner.Run(Repo.Guest("tasks"));
        string s = r.Serial.Replace("\r", "");
        Assert.Contains("b: round 1, tr 0020, nt 1, link 0018 busy a/b/c 1/1/0\n", s);             // CALL: NT, link, both busy
        Assert.Contains("a: back from the call, edi a1a1, tr 0018, cr0.ts 1, nt 0 busy a/b/c 1/0/0\n", s);
        Assert.Contains("b: round 2, tr 0020, nt 0, link 0018 busy a/b/c 0/1/0\n", s);             // JMP: the old task is free
        Assert.Contains("b: round 3, tr 0020, nt 1, link 0018 busy a/b/c 1/1/0\n", s);             // INT through a task gate
        Assert.Contains("c: #GP through a task gate, error code 0078, tr 0030, nt 1, a's saved eip is the faulting instruction: yes", s);
        Assert.Equal(0x5A * 2 + 1, r.Result.ExitCode);
    }

    [SkippableFact]
    public void Output_MatchesQemu() => Qemu.AssertGuestMatches("tasks");
}
