using System.Net.Sockets;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Elf;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Gdb;

/// <summary>
/// The stub as a network service under hostile load on loopback: a thousand connections sending
/// random bytes (interrupt bytes and packet starts included) and oversized packets, four at a
/// time. Afterwards the stub still serves a real client and the guest finishes normally.
/// </summary>
public sealed class GdbStubLoadTests
{
    [Fact]
    public async Task GarbageAndConnectionFloods_NeitherCrashTheStubNorKeepTheGuestStopped()
    {
        using var f = new GdbFixture(waitAtStart: false);
        int refused = 0, served = 0;
        var rng = new Random(318);
        byte[][] payloads = Enumerable.Range(0, 16).Select(i =>
        {
            var b = new byte[i == 0 ? 200_000 : rng.Next(1, 4096)];
            rng.NextBytes(b);
            if (i == 1)
            {
                b[0] = (byte)'$'; // an endless packet: never a '#'
            }
            return b;
        }).ToArray();
        Parallel.For(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var tcp = new TcpClient();
            tcp.Connect("127.0.0.1", f.Port);
            NetworkStream s = tcp.GetStream();
            s.ReadTimeout = 2000;
            try
            {
                s.Write(payloads[i % payloads.Length]);
                tcp.Client.Shutdown(SocketShutdown.Send);
                var buf = new byte[256];
                int n = s.Read(buf, 0, buf.Length);
                if (n > 0 && System.Text.Encoding.ASCII.GetString(buf, 0, n).Contains("already attached"))
                {
                    Interlocked.Increment(ref refused);
                }
                else
                {
                    Interlocked.Increment(ref served);
                }
            }
            catch (IOException)
            {
                Interlocked.Increment(ref served); // the stub dropped a client that was sending garbage
            }
        });
        Assert.Equal(1000, refused + served);
        Assert.False(f.Run.IsCompleted, "the emulator's run ended under the load");

        // A real client is served, and the guest it releases finishes as it should.
        // (The last garbage client's departure may still be under way: a refused attempt is retried.)
        RawClient? c = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (c is null && DateTime.UtcNow < deadline)
        {
            var candidate = new RawClient(f.Port);
            candidate.Send("?");
            if (candidate.ReadByte() == '+')
            {
                Assert.StartsWith("T", candidate.ReadPacket());
                candidate.SendRaw("+");
                c = candidate;
            }
            else
            {
                candidate.Dispose();
                Thread.Sleep(50);
            }
        }
        Assert.NotNull(c);
        using (c)
        {
            uint release = ElfFile.Load(Repo.Guest("gdbtarget")).FindSymbol("release")!.Value;
            Assert.Equal("OK", c!.Ask($"M{release:x},4:01000000"));
            c.Send("c");
            Assert.Equal('+', c.ReadByte());
            Assert.Equal("W01", c.ReadPacket()); // the exit device's value 0 is the process exit code (0 << 1) | 1
        }
        RunResult r = await f.Run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(StopReason.GuestExit, r.Reason);
        Assert.Contains("gdbtarget: released", f.Serial);
    }
}
