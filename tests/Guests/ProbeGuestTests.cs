using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>The probe guest finds COM2 (scratch register, loopback) and the PS/2 mouse (reset, identify) as drivers do; QEMU (with a second serial port) prints the same.</summary>
public sealed class ProbeGuestTests
{
    private static readonly string[] s_expected =
    {
        "com2: scratch register ok", "com2: loopback ok", "mouse: reset FA AA 00", "mouse: identify FA 00",
    };

    [Fact]
    public void Com2AndTheMouse_AnswerTheirProbes()
    {
        var r = GuestRunner.Run(Repo.Guest("probe"));
        Assert.Equal(string.Join("\n", s_expected), r.Serial.Replace("\r", "").TrimEnd('\n'));
        Assert.Equal(1, r.Result.ExitCode);
    }

    [SkippableFact]
    public void Output_MatchesQemu() => Qemu.AssertGuestMatches("probe", "-serial", "null");
}
