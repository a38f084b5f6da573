using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// The vm86 guest enters virtual-8086 mode by IRET, leaves it through INT 30h and #GP to ring-0
/// handlers (checking the pushed segment registers and the null data segments), and exercises
/// the IOPL-sensitive instructions and the TSS I/O bitmap; QEMU prints the same.
/// </summary>
public sealed class Vm86GuestTests
{
    [Fact]
    public void Virtual8086Mode_AsAMonitorDrivesIt()
    {
        var r = GuestRunner.Run(Repo.Guest("vm86"));
        string s = r.Serial.Replace("\r", "");
        Assert.Contains("int 30h: at 3000:000d vm 1 iopl 3, pushed es ds fs gs 0444 2000 0222 0111, ss:sp 4000:1000, ds in the handler 0000\n", s);
        Assert.Contains("int 30h: ax 1234, word at 2000:0010 1234\n", s);   // real-mode segment arithmetic
        Assert.Contains("#GP: error 0000, opcode 00e4\n", s);                 // IN refused by the bitmap
        Assert.DoesNotContain("opcode 00e6", s);                             // OUT to an allowed port
        Assert.Contains("vm86: flags pushed by 8086 code 3002\n", s);        // PUSHF with IOPL 3
        Assert.Contains("#GP: at 3000:0018 vm 1 iopl 0", s);                 // CLI with IOPL 0
        Assert.Equal(0x42 * 2 + 1, r.Result.ExitCode);
    }

    [SkippableFact]
    public void Output_MatchesQemu() => Qemu.AssertGuestMatches("vm86");
}
