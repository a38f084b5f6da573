using Minix318Emu.Images.Elf;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Gdb;

/// <summary>
/// The GDB stub across a session's life: a client that detaches and comes back is consulted
/// again, and an interrupt byte sent while the guest is stopped stops it right after the resume.
/// </summary>
public sealed class GdbSessionLifecycleTests
{
    private static uint Symbol(string name) => ElfFile.Load(Repo.Guest("gdbtarget")).FindSymbol(name)!.Value;

    [Fact]
    public void ClientReconnectingAfterADetach_StopsTheGuestAndHitsItsBreakpoints()
    {
        using var f = new GdbFixture();
        using (var first = new RawClient(f.Port))
        {
            Assert.StartsWith("T05", first.Ask("?"));
            Assert.Equal("OK", first.Ask("D"));
        }
        // The guest runs on into its spin loop; a second client attaches to it.
        using var second = new RawClient(f.Port);
        Assert.StartsWith("T02", second.Ask("?"));                  // attaching stops the running guest
        uint release = Symbol("release"), puts = Symbol("puts");
        Assert.Equal("OK", second.Ask($"M{release:x},4:01000000"));
        Assert.Equal("OK", second.Ask($"Z0,{puts:x},1"));
        second.Send("c");
        Assert.Equal('+', second.ReadByte());
        Assert.Equal("T05swbreak:;thread:01;", second.ReadPacket());  // "gdbtarget: released" starts with puts
        second.SendRaw("+");
        Assert.Equal($"{puts & 0xFF:x2}{(puts >> 8) & 0xFF:x2}{(puts >> 16) & 0xFF:x2}00", second.Ask("p8"));
    }

    [Fact]
    public void InterruptByte_SentWhileStopped_StopsTheGuestRightAfterTheResume()
    {
        using var f = new GdbFixture();
        using var c = new RawClient(f.Port);
        Assert.StartsWith("T05", c.Ask("?"));
        c.SendRaw("\u0003");                                         // the user's Ctrl-C, racing the continue
        c.Send("c");
        Assert.Equal('+', c.ReadByte());
        Assert.Equal("T02thread:01;", c.ReadPacket());               // not left running until some breakpoint
        c.SendRaw("+");
        Assert.DoesNotContain("gdbtarget result", f.Serial);         // stopped long before the guest's work was done
    }
}
