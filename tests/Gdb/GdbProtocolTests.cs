using System.Net.Sockets;
using System.Text;
using Minix318Emu.Images.Elf;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Gdb;

/// <summary>The stub's protocol handling with a raw TCP client: framing, acks, malformed input, one client at a time.</summary>
public sealed class GdbProtocolTests
{
    [Fact]
    public void Handshake_Registers_Memory_TargetDescription()
    {
        using var f = new GdbFixture();
        using var c = new RawClient(f.Port);
        Assert.Contains("qXfer:features:read+", c.Ask("qSupported:multiprocess+;swbreak+;hwbreak+"));
        Assert.StartsWith("T05", c.Ask("?"));
        string xml = c.Ask("qXfer:features:read:target.xml:0,3fff");
        Assert.StartsWith("l<?xml", xml);
        Assert.Contains("<architecture>i386</architecture>", xml);
        Assert.Contains("name=\"st7\" bitsize=\"80\"", xml);
        string regs = c.Ask("g");
        Assert.Equal((16 * 4 + 8 * 10 + 8 * 4) * 2, regs.Length);
        Assert.Equal("02b0ad2b", regs[..8]);                 // EAX = 0x2BADB002, little-endian
        Assert.Equal("0c001000", c.Ask("p8"));               // EIP = 0x10000C (_start)
        Assert.Equal("OK", c.Ask("P0=efbeadde"));
        Assert.Equal("efbeadde", c.Ask("p0"));
        Assert.Equal(0xDEADBEEFu, f.Pc.Machine.Cpu.R[0]);
        Assert.Equal("OK", c.Ask("M200000,4:01020304"));
        Assert.Equal("01020304", c.Ask("m200000,4"));
        Assert.Equal("OK", c.Ask("X200004,2:}\u0003}\u0004"));  // binary '#' and '$', escaped as '}' then byte ^ 0x20
        Assert.Equal("2324", c.Ask("m200004,2"));            // '#' and '$' arrived escaped
        Assert.Equal("ffffffff", c.Ask("mfffff000,4"));      // no paging: beyond RAM reads all ones, as on a PC
        var cpu = f.Pc.Machine.Cpu;                           // the guest is stopped: turn on paging with an empty directory
        cpu.WriteCr(3, 0x300000);
        cpu.WriteCr(0, cpu.Cr0 | Emulator.Processor.ControlRegs.Cr0PG);
        Assert.Equal("E14", c.Ask("m1000,4"));                // unmapped in the current address space: an error, not a crash
        Assert.Equal("1", c.Ask("qAttached"));
        Assert.Equal("QC01", c.Ask("qC"));
        Assert.Equal("m01", c.Ask("qfThreadInfo"));
        Assert.Equal("l", c.Ask("qsThreadInfo"));
        Assert.Equal("vCont;c;C;s;S", c.Ask("vCont?"));
        Assert.Equal("", c.Ask("qSomethingUnknown"));
        Assert.Equal("", c.Ask("vMustReplyEmpty"));
    }

    [Fact]
    public void MalformedPackets_GetTheProtocolsAnswer_AndTheStubStaysUp()
    {
        using var f = new GdbFixture();
        using var c = new RawClient(f.Port);
        c.SendRaw("$g#00");                                   // bad checksum: NAK
        Assert.Equal('-', c.ReadByte());
        c.SendRaw("garbage outside packets\n");               // ignored
        c.SendRaw("$m10");                                    // truncated: a new '$' restarts
        Assert.Equal("0c001000", c.Ask("p8"));
        c.Send("m" + new string('0', 20000));                 // oversized
        Assert.Equal('+', c.ReadByte());
        Assert.Equal("E01", c.ReadPacket());
        c.SendRaw("+");
        Assert.Equal("E01", c.Ask("mzz,4"));                  // bad numbers
        Assert.Equal("E01", c.Ask("P99=00"));                 // no such register
        Assert.Equal("E01", c.Ask("M100,2:0"));               // odd hex
        Assert.Equal("", c.Ask("Z9,100,1"));                  // unsupported breakpoint type
        Assert.StartsWith("T05", c.Ask("?"));                 // still serving
    }

    [Fact]
    public void NoAckMode_StopsAcknowledgements()
    {
        using var f = new GdbFixture();
        using var c = new RawClient(f.Port);
        Assert.Equal("OK", c.Ask("QStartNoAckMode"));
        c.Send("p8");
        Assert.Equal("0c001000", c.ReadPacket());             // no '+' before the reply
    }

    [Fact]
    public void BreakpointsNeverModifyGuestMemory_AndStopRepliesSayWhy()
    {
        using var f = new GdbFixture();
        using var c = new RawClient(f.Port);
        uint sumTo = ElfFile.Load(Repo.Guest("gdbtarget")).FindSymbol("sum_to")!.Value;
        string before = c.Ask($"m{sumTo:x},8");
        Assert.Equal("OK", c.Ask($"Z0,{sumTo:x},1"));
        Assert.Equal(before, c.Ask($"m{sumTo:x},8"));         // no INT3 patched in
        c.Send("c");
        Assert.Equal('+', c.ReadByte());
        Assert.Equal("T05swbreak:;thread:01;", c.ReadPacket());
        c.SendRaw("+");
        Assert.Equal($"{sumTo & 0xFF:x2}{(sumTo >> 8) & 0xFF:x2}{(sumTo >> 16) & 0xFF:x2}00", c.Ask("p8"));
        Assert.Equal("OK", c.Ask($"z0,{sumTo:x},1"));
        uint counter = ElfFile.Load(Repo.Guest("gdbtarget")).FindSymbol("counter")!.Value;
        Assert.Equal("OK", c.Ask($"Z2,{counter:x},4"));
        c.Send("c");
        Assert.Equal('+', c.ReadByte());
        Assert.Equal($"T05watch:{counter:x};thread:01;", c.ReadPacket());
        c.SendRaw("+");
        Assert.Equal("OK", c.Ask($"z2,{counter:x},4"));
        c.Send("s");
        Assert.Equal('+', c.ReadByte());
        Assert.Equal("T05thread:01;", c.ReadPacket());
        c.SendRaw("+");
    }

    [Fact]
    public void InterruptByte_StopsARunningGuest()
    {
        using var f = new GdbFixture(waitAtStart: false);
        using var c = new RawClient(f.Port);
        Assert.StartsWith("T", c.Ask("?"));                   // attaching stops the guest
        c.Send("c");
        Assert.Equal('+', c.ReadByte());
        Thread.Sleep(200);
        c.SendRaw("\u0003");
        Assert.Equal("T02thread:01;", c.ReadPacket());
        c.SendRaw("+");
    }

    [Fact]
    public void SecondClient_IsRefused_FirstKeepsWorking()
    {
        using var f = new GdbFixture();
        using var c = new RawClient(f.Port);
        Assert.StartsWith("T05", c.Ask("?"));
        using var second = new RawClient(f.Port);
        Assert.Contains("a debugger is already attached", second.ReadToEnd());
        Assert.StartsWith("T05", c.Ask("?"));
    }

    [Fact]
    public void Disconnecting_WithoutDetach_LetsTheGuestRunOn()
    {
        using var f = new GdbFixture();
        using (var c = new RawClient(f.Port))
        {
            uint sumTo = ElfFile.Load(Repo.Guest("gdbtarget")).FindSymbol("sum_to")!.Value;
            Assert.Equal("OK", c.Ask($"Z0,{sumTo:x},1"));
        }
        // The breakpoint went with the client: the guest reaches its spin loop.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!f.Serial.Contains("gdbtarget result") && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
        Assert.Contains("gdbtarget result: 0x000000c7", f.Serial);
    }
}
