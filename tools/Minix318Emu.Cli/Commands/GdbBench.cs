using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Gdb;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

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
        Console.WriteLine($"{"gdb attached",-16} {"",14} {"",10} {mips[mips.Count / 2],8:0.0}  (bench.elf, client connected, no breakpoints)");
        Console.WriteLine($"{"gdb single-step",-16} {StepsPerSecond(kernel, 20_000),14:0} steps/s (round trips of 's' and its stop reply, no-ack mode)");
    }

    /// <summary>Boots <paramref name="kernel"/> stopped for the debugger, attaches a client in no-ack mode and starts the run.</summary>
    private static (GdbServer Server, Client Client, Task<RunResult> Run) Attach(string kernel)
    {
        BootedPc pc = MachineFactory.Boot(kernel, "", Array.Empty<ModuleSpec>(), 256u << 20, new NullSerialSink());
        var server = new GdbServer(pc.Machine, new IPEndPoint(IPAddress.Loopback, 0));
        pc.Machine.WaitForDebuggerAtStart = true;
        var client = new Client(server.Port);
        client.Ask("QStartNoAckMode");
        var run = Task.Factory.StartNew(() => pc.Machine.Run(new RunLimits(20_000_000_000)), TaskCreationOptions.LongRunning);
        client.Ask("?");
        return (server, client, run);
    }

    private static double AttachedMips(string kernel)
    {
        var (server, client, run) = Attach(kernel);
        using (server)
        using (client)
        {
            client.Send("c");
            return run.Result.Mips;
        }
    }

    private static double StepsPerSecond(string kernel, int steps)
    {
        var (server, client, run) = Attach(kernel);
        using (server)
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
