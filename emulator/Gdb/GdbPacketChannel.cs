using System.Net.Sockets;
using System.Text;

namespace Minix318Emu.Emulator.Gdb;

/// <summary>
/// The GDB remote serial protocol's framing over a socket: $data#checksum packets with '+'/'-'
/// acknowledgements (until no-ack mode), '}' escaping, run-length decoding on input and
/// encoding on output, and the out-of-band 0x03 interrupt byte.
/// </summary>
public sealed class GdbPacketChannel : IDisposable
{
    /// <summary>The largest packet accepted and advertised (PacketSize).</summary>
    public const int MaxPacket = 0x4000;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly object _writeLock = new();

    /// <summary>Wraps a connected socket.</summary>
    public GdbPacketChannel(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    /// <summary>Whether acknowledgements are exchanged (off after QStartNoAckMode).</summary>
    public bool AckMode { get; set; } = true;

    /// <summary>Called from the reader when the client sends the interrupt byte 0x03.</summary>
    public Action? Interrupt { get; set; }

    /// <summary>Packets rejected for a bad checksum (statistics and tests).</summary>
    public int BadPackets { get; private set; }

    /// <summary>
    /// Reads the next well-formed packet's payload, or null when the connection closes.
    /// Garbage between packets is skipped; a bad checksum is answered with '-' in ack mode;
    /// an oversized packet is answered with an error reply and skipped.
    /// </summary>
    public string? ReadPacket()
    {
        var payload = new StringBuilder();
        while (true)
        {
            int b = _stream.ReadByte();
            if (b < 0)
            {
                return null;
            }
            if (b == 0x03)
            {
                Interrupt?.Invoke();
                continue;
            }
            if (b != '$')
            {
                continue; // acks from the client and stray bytes
            }
            payload.Clear();
            int sum = 0;
            bool oversized = false;
            while (true)
            {
                b = _stream.ReadByte();
                if (b < 0)
                {
                    return null; // truncated at end of stream
                }
                if (b == '#')
                {
                    break;
                }
                if (b == '$')
                {
                    // A new packet started before this one ended: drop the truncated one.
                    payload.Clear();
                    sum = 0;
                    oversized = false;
                    continue;
                }
                sum += b;
                if (payload.Length < MaxPacket)
                {
                    payload.Append((char)b);
                }
                else
                {
                    oversized = true;
                }
            }
            int h1 = _stream.ReadByte(), h2 = _stream.ReadByte();
            if (h1 < 0 || h2 < 0)
            {
                return null;
            }
            bool ok = TryHex(h1, out int hi) && TryHex(h2, out int lo) && ((hi << 4) | lo) == (sum & 0xFF);
            if (!ok)
            {
                BadPackets++;
                if (AckMode)
                {
                    WriteRaw("-"u8);
                }
                continue;
            }
            if (AckMode)
            {
                WriteRaw("+"u8);
            }
            if (oversized)
            {
                Send("E01");
                continue;
            }
            return Unescape(payload.ToString());
        }
    }

    /// <summary>Undoes '}' escaping and expands run-length encoding ("X*n": n - 29 more copies).</summary>
    private static string Unescape(string s)
    {
        if (s.IndexOf('}') < 0 && s.IndexOf('*') < 0)
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '}' && i + 1 < s.Length)
            {
                sb.Append((char)(s[++i] ^ 0x20));
            }
            else if (c == '*' && i + 1 < s.Length && sb.Length > 0 && !s.StartsWith("X", StringComparison.Ordinal))
            {
                int repeat = s[++i] - 29;
                char last = sb[^1];
                sb.Append(last, Math.Max(0, repeat));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>Sends a packet (escaping what must be escaped, run-length encoding long runs) and waits for its '+' in ack mode.</summary>
    public void Send(string payload)
    {
        byte[] body = Encode(payload);
        int sum = 0;
        foreach (byte x in body)
        {
            sum += x;
        }
        var frame = new byte[body.Length + 4];
        frame[0] = (byte)'$';
        body.CopyTo(frame, 1);
        frame[^3] = (byte)'#';
        frame[^2] = (byte)"0123456789abcdef"[(sum >> 4) & 0xF];
        frame[^1] = (byte)"0123456789abcdef"[sum & 0xF];
        WriteRaw(frame);
    }

    /// <summary>Escapes '#', '$', '}' and '*' and encodes runs of 4 or more equal characters as "c*n".</summary>
    private static byte[] Encode(string s)
    {
        var o = new List<byte>(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            int run = 1;
            while (i + run < s.Length && s[i + run] == c && run < 97)
            {
                run++;
            }
            if (c is '#' or '$' or '}' or '*')
            {
                o.Add((byte)'}');
                o.Add((byte)(c ^ 0x20));
                i++;
                continue;
            }
            // The count character is run-1+29; it must not be '#', '$', '+', '-' (6, 7 repeats are avoided).
            if (run >= 4)
            {
                int n = run - 1;
                while (n + 29 is '#' or '$' or '+' or '-')
                {
                    n--;
                }
                o.Add((byte)c);
                o.Add((byte)'*');
                o.Add((byte)(n + 29));
                i += n + 1;
                continue;
            }
            o.Add((byte)c);
            i++;
        }
        return o.ToArray();
    }

    private void WriteRaw(ReadOnlySpan<byte> data)
    {
        lock (_writeLock)
        {
            try
            {
                _stream.Write(data);
                _stream.Flush();
            }
            catch (IOException)
            {
                // The client went away; the reader sees the end of stream.
            }
        }
    }

    private static bool TryHex(int c, out int v)
    {
        v = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return v >= 0;
    }

    private int _disposed;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // both the session and its reader may close the channel
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        _stream.Dispose();
        _socket.Dispose();
    }
}
