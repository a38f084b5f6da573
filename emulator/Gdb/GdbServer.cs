using System.Net;
using System.Net.Sockets;
using System.Text;
using Minix318Emu.Emulator.Machine;
using Serilog;

namespace Minix318Emu.Emulator.Gdb;

/// <summary>
/// The GDB remote stub's listener: one client at a time on a TCP endpoint (127.0.0.1 unless a
/// host is given). It attaches a <see cref="GdbSession"/> to the machine as its debugger; a
/// second client is told that a debugger is attached and disconnected.
/// </summary>
public sealed class GdbServer : IDisposable
{
    private readonly PcMachine _machine;
    private readonly TcpListener _listener;
    private readonly Thread _acceptThread;
    private readonly GdbSession _session;
    private volatile bool _disposed;

    /// <summary>Starts listening on <paramref name="endpoint"/> (port 0 picks a free port).</summary>
    public GdbServer(PcMachine machine, IPEndPoint endpoint)
    {
        _machine = machine;
        _listener = new TcpListener(endpoint);
        _listener.Start(1);
        _session = new GdbSession(machine);
        machine.Debugger = _session;
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = "gdb accept" };
        _acceptThread.Start();
    }

    /// <summary>The port actually listened on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The session (protocol state, breakpoints).</summary>
    public GdbSession Session => _session;

    /// <summary>Parses "[HOST:]PORT"; the host defaults to 127.0.0.1 so nothing is exposed unless asked.</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint, out string error)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        error = "";
        string host = "127.0.0.1", portText = text;
        int colon = text.LastIndexOf(':');
        if (colon >= 0)
        {
            host = text[..colon].Trim('[', ']');
            portText = text[(colon + 1)..];
        }
        if (!int.TryParse(portText, out int port) || port is < 0 or > 65535)
        {
            error = $"'{text}': expected [HOST:]PORT with a port from 0 to 65535";
            return false;
        }
        if (!IPAddress.TryParse(host, out IPAddress? address))
        {
            if (host == "localhost")
            {
                address = IPAddress.Loopback;
            }
            else
            {
                error = $"'{text}': '{host}' is not an IP address";
                return false;
            }
        }
        endpoint = new IPEndPoint(address, port);
        return true;
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                Attach(socket);
            }
            catch (Exception e)
            {
                // A client that vanished during the hand-over must not take the listener down.
                Log.Warning(e, "gdb: connection set-up failed");
                socket.Dispose();
            }
        }
    }

    private void Attach(Socket socket)
    {
        EndPoint? remote = socket.RemoteEndPoint; // read before the session may close the socket
        if (_session.TryAttach(socket))
        {
            Log.Information("gdb: client connected from {Remote}", remote);
            return;
        }
        // One client at a time: the second is told why and disconnected.
        try
        {
            socket.Send(Encoding.ASCII.GetBytes("minix318emu: a debugger is already attached; one client at a time\n"));
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        _listener.Stop();
        _session.Dispose();
    }
}
