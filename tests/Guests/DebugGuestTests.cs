using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// The debug guest single-steps with TF and arms instruction, data and I/O breakpoints, recording
/// each #DB's return address and DR6; QEMU records the same.
/// </summary>
public sealed class DebugGuestTests
{
    [Fact]
    public void TrapsAndBreakpoints_LandWhereTheSdmSays()
    {
        var r = GuestRunner.Run(Repo.Guest("debug"));
        string s = r.Serial.Replace("\r", "");
        // MOV, CLD, REP MOVSB three times (twice on itself), MOV BX,SS; MOV SS,BX and NOP together, INT (none), NOP, PUSHF, AND, POPF.
        Assert.Contains("single-step: +5/0x00004000 +6/0x00004000 +6/0x00004000 +6/0x00004000 +8/0x00004000 +11/0x00004000 +14/0x00004000 +17/0x00004000 +18/0x00004000 +25/0x00004000 +26/0x00004000\n", s);
        Assert.Contains("instruction breakpoint: +0/0x00000001 +0/0x00000001\n", s);
        Assert.Contains("data breakpoints: +3/0x00000002 +12/0x00000004 +20/0x00000004\n", s);
        Assert.Contains("i/o breakpoint: +4/0x00000008\n", s);
    }

    [SkippableFact]
    public void Output_MatchesQemu() => Qemu.AssertGuestMatches("debug");
}
