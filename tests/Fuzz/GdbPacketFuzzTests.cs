using CsCheck;
using Minix318Emu.Tests.Gdb;
using Minix318Emu.Tests.Support;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// Property: every packet a client can frame gets an answer, and the session survives it. The
/// packets come from a CsCheck grammar of the protocol's commands (register and memory reads and
/// writes, breakpoints and watchpoints of every type, queries, monitor commands, single steps)
/// with random arguments: hex numbers of any width, separators in the wrong places, bytes
/// outside the protocol. Sequences that end the session (k, D, vKill) or leave the guest
/// running (c, vCont;c) are left out; everything else is answered in order, and `?` still
/// answers at the end. A guest stopped at its first instruction is the target.
/// </summary>
public sealed class GdbPacketFuzzTests
{
    private readonly ITestOutputHelper _output;

    public GdbPacketFuzzTests(ITestOutputHelper output) => _output = output;

    private static Gen<string> Packets()
    {
        Gen<string> hex = Gen.Frequency(
            (4, Gen.UInt.Select(v => v.ToString("x"))),
            (1, Gen.ULong.Select(v => v.ToString("x"))),
            (1, Gen.Const("")),
            (1, Gen.Char["0123456789abcdefABCDEFxyz-"].Array[1, 24].Select(c => new string(c))));
        Gen<string> bytes = Gen.Char[' ', '~'].Where(c => c is not ('#' or '$' or '}' or '*')).Array[0, 40].Select(c => new string(c));
        Gen<string> sep = Gen.OneOf(",", ":", ";", "=", "", ",,", ":;");
        Gen<string> monitor = Gen.OneOf("help", "info registers", "xp 0 40", "xp ffffffff 10", "xp 100000 ffffffff", "instructions", "trace status", "nonsense", "")
            .Select(m => "qRcmd," + Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(m)));
        Gen<string> command = Gen.OneOf("?", "g", "G", "p", "P", "m", "M", "X", "s", "S", "Z0,", "z0,", "Z1,", "z1,", "Z2,", "z2,", "Z3,", "Z4,", "z4,", "Z9,",
            "H", "Hg", "Hc", "T", "qSupported", "qXfer:features:read:target.xml:", "qXfer:features:read:other:", "qAttached", "qC", "qfThreadInfo",
            "qsThreadInfo", "qSymbol::", "qOffsets", "QStartNoAckMode", "vCont?", "vCont;s", "vMustReplyEmpty", "!", "A", "b");
        Gen<string> built = Gen.Select(command, hex, sep, hex, sep, Gen.Frequency((3, hex), (1, bytes)), (c, a, s1, b, s2, d) => c + a + s1 + b + s2 + d);
        return Gen.Frequency((6, built), (1, monitor), (1, bytes)).Where(p => !EndsOrResumes(p));
    }

    /// <summary>Packets that end the session or let the guest run (they are tested elsewhere).</summary>
    private static bool EndsOrResumes(string p) =>
        p.Length > 0 && (p[0] is 'k' or 'D' or 'c' or 'C' || p.StartsWith("vKill", StringComparison.Ordinal)
            || p.StartsWith("vCont;c", StringComparison.Ordinal) || p.StartsWith("vCont;C", StringComparison.Ordinal) || p == "vCont;");

    /// <summary>Sends a packet and returns its reply, skipping the console-output ('O') packets a monitor command sends first.</summary>
    private static string AskThroughOutput(RawClient c, string packet)
    {
        c.Send(packet);
        Assert.Equal('+', c.ReadByte());
        while (true)
        {
            string reply = c.ReadPacket();
            c.SendRaw("+");
            if (!(reply.StartsWith('O') && reply != "OK" && packet.StartsWith("qRcmd,", StringComparison.Ordinal)))
            {
                return reply;
            }
        }
    }

    [Fact]
    public void RandomPackets_AreAllAnswered_AndTheSessionSurvives()
    {
        Gen<string> gen = Packets();
        int cases = FuzzBudget.Cases(3000), errors = 0, empty = 0, runsEnded = 0;
        var f = new GdbFixture();
        var c = new RawClient(f.Port);
        try
        {
            Assert.StartsWith("T05", c.Ask("?"));
            for (int i = 0; i < cases; i++)
            {
                string packet = gen.Generate(new PCG(31, (ulong)i), null, out _);
                string reply;
                try
                {
                    reply = packet.StartsWith("QStartNoAckMode", StringComparison.Ordinal) ? "" : AskThroughOutput(c, packet);
                }
                catch (Exception e)
                {
                    Assert.Fail($"packet {i} '{packet}': no answer ({e.GetType().Name}: {e.Message})");
                    return;
                }
                errors += reply.StartsWith('E') && reply.Length == 3 ? 1 : 0;
                empty += reply.Length == 0 ? 1 : 0;
                if (reply.StartsWith('W'))
                {
                    // Written registers and memory can end the guest's run (a triple fault, a halt): '?' now
                    // answers the exit status, and the fuzzing goes on with a new guest.
                    Assert.Equal(reply, c.Ask("?"));
                    runsEnded++;
                    c.Dispose();
                    f.Dispose();
                    f = new GdbFixture();
                    c = new RawClient(f.Port);
                    Assert.StartsWith("T05", c.Ask("?"));
                }
            }
            Assert.StartsWith("T05", c.Ask("?"));
        }
        finally
        {
            c.Dispose();
            f.Dispose();
        }
        _output.WriteLine($"{cases} packets answered: {errors} error replies, {empty} empty (unsupported), the rest served; {runsEnded} guest runs ended by what the packets wrote");
        Assert.True(errors > cases / 20, "the grammar hardly reaches the argument checks");
    }
}
