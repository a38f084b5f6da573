using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Cli.Commands;

/// <summary>Measures what the GDB stub costs: MIPS with a client attached and no breakpoints, and single-step round trips.</summary>
public static class GdbBench
{
    /// <summary>Runs both measurements on <paramref name="kernel"/> and prints them.</summary>
    public static void Run(string kernel, int repeat)
    {
        var mips = new List<double>();
        for (int i = 0; i <= repeat; i++)
        {
            double m = AttachedMips(kernel);
            if (i > 0)
            {
                mips.Add(m); // the first run warms up
            }
        }
        mips.Sort();
        Console.WriteLine($"{"gdb attached",-16} {"",14} {"",10} {mips[mips.Count / 2],8:0.0}  ({Path.GetFileName(kernel)}, client connected, no breakpoints)");
        Console.WriteLine($"{"gdb single-step",-16} {StepsPerSecond(kernel, 20_000),14:0} steps/s (round trips of 's' and its stop reply, no-ack mode)");
    }

    /// <summary>
    /// Boots <paramref name="kernel"/> through the session builder with the stub listening and the
    /// machine stopped for the debugger, attaches a client in no-ack mode and starts the run.
    /// </summary>
    private static (Session Session, Client Client, Task<RunResult> Run) Attach(string kernel)
    {
        Session session = BenchSession.Build(kernel, "", maxInstructions: 20_000_000_000, gdb: true);
        var client = new Client(session.Gdb!.Port);
        client.Ask("QStartNoAckMode");
        var run = Task.Factory.StartNew(() => session.Run(), TaskCreationOptions.LongRunning);
        client.Ask("?");
        return (session, client, run);
    }

    private static double AttachedMips(string kernel)
    {
        var (session, client, run) = Attach(kernel);
        using (session)
        using (client)
        {
            client.Send("c");
            return run.Result.Mips;
        }
    }

    private static double StepsPerSecond(string kernel, int steps)
    {
        var (session, client, run) = Attach(kernel);
        using (session)
        using (client)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < steps; i++)
            {
                client.Ask("s");
            }
            sw.Stop();
            client.Send("k");
            run.Wait(TimeSpan.FromSeconds(10));
            return steps / sw.Elapsed.TotalSeconds;
        }
    }

    /// <summary>A minimal protocol client: after QStartNoAckMode no acknowledgements are expected.</summary>
    private sealed class Client : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _s;
        private bool _acks = true;

        public Client(int port)
        {
            _tcp = new TcpClient("127.0.0.1", port) { NoDelay = true };
            _s = _tcp.GetStream();
        }

        public void Send(string payload)
        {
            int sum = 0;
            foreach (char c in payload)
            {
                sum += c;
            }
            _s.Write(Encoding.ASCII.GetBytes($"${payload}#{sum & 0xFF:x2}"));
        }

        public string Ask(string payload)
        {
            Send(payload);
            var sb = new StringBuilder();
            int b;
            while ((b = _s.ReadByte()) != '$')
            {
                if (b < 0)
                {
                    throw new IOException("the stub closed the connection");
                }
            }
            while ((b = _s.ReadByte()) != '#')
            {
                sb.Append((char)b);
            }
            _s.ReadByte();
            _s.ReadByte();
            if (_acks)
            {
                _s.WriteByte((byte)'+');
            }
            if (payload == "QStartNoAckMode")
            {
                _acks = false;
            }
            return sb.ToString();
        }

        public void Dispose() => _tcp.Dispose();
    }
}
