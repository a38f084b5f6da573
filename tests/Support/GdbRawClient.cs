using System.Net.Sockets;
using System.Text;

namespace Minix318Emu.Tests.Support;

/// <summary>A raw GDB remote-protocol client over TCP for the stub's tests.</summary>
internal sealed class RawClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _s;

    public RawClient(int port)
    {
        _tcp = new TcpClient("127.0.0.1", port);
        _s = _tcp.GetStream();
        _s.ReadTimeout = 10_000;
    }

    public void SendRaw(string text) => _s.Write(Encoding.Latin1.GetBytes(text));

    public static string Frame(string payload)
    {
        int sum = 0;
        foreach (char c in payload) sum += c;
        return $"${payload}#{sum & 0xFF:x2}";
    }

    public void Send(string payload) => SendRaw(Frame(payload));

    public int ReadByte() => _s.ReadByte();

    /// <summary>Reads the next packet, skipping acks; checks its checksum.</summary>
    public string ReadPacket()
    {
        int b;
        while ((b = _s.ReadByte()) != '$')
        {
            if (b < 0) throw new IOException("closed");
        }
        var sb = new StringBuilder();
        int sum = 0;
        while ((b = _s.ReadByte()) != '#')
        {
            sb.Append((char)b);
            sum += b;
        }
        string cs = $"{(char)_s.ReadByte()}{(char)_s.ReadByte()}";
        Assert.Equal($"{sum & 0xFF:x2}", cs);
        return sb.ToString();
    }

    /// <summary>Sends a packet, expects its '+', returns the reply (after expanding run-length encoding).</summary>
    public string Ask(string payload)
    {
        Send(payload);
        Assert.Equal('+', ReadByte());
        string reply = ReadPacket();
        SendRaw("+");
        return Expand(reply);
    }

    private static string Expand(string s)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '*')
            {
                sb.Append(sb[^1], s[++i] - 29);
            }
            else
            {
                sb.Append(s[i]);
            }
        }
        return sb.ToString();
    }

    public string ReadToEnd()
    {
        var buf = new byte[4096];
        var sb = new StringBuilder();
        int n;
        try
        {
            while ((n = _s.Read(buf)) > 0) sb.Append(Encoding.Latin1.GetString(buf, 0, n));
        }
        catch (IOException)
        {
        }
        return sb.ToString();
    }

    /// <summary>Runs a monitor command (qRcmd) and returns its output text.</summary>
    public string Monitor(string command)
    {
        Send("qRcmd," + Convert.ToHexStringLower(Encoding.ASCII.GetBytes(command)));
        Assert.Equal('+', ReadByte());
        var text = new StringBuilder();
        while (true)
        {
            string p = Expand(ReadPacket());
            SendRaw("+");
            if (p.StartsWith('O') && p != "OK")
            {
                text.Append(Encoding.ASCII.GetString(Convert.FromHexString(p[1..])));
                continue;
            }
            Assert.Equal("OK", p);
            return text.ToString();
        }
    }

    public void Dispose() => _tcp.Dispose();
}

