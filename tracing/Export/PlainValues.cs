using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Minix318Emu.Tracing.Export;

/// <summary>Values in Parquet's PLAIN encoding, as a dictionary page holds them, appended one by one.</summary>
internal sealed class PlainValues
{
    private readonly ArrayBufferWriter<byte> _bytes = new(256);

    /// <summary>Values appended.</summary>
    public int Count { get; private set; }

    /// <summary>The encoded values.</summary>
    public ReadOnlySpan<byte> Span => _bytes.WrittenSpan;

    /// <summary>A byte array: its length (4 bytes, little-endian), then its UTF-8 bytes.</summary>
    public void Add(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        Span<byte> d = _bytes.GetSpan(4 + n);
        BinaryPrimitives.WriteInt32LittleEndian(d, n);
        Encoding.UTF8.GetBytes(s, d[4..]);
        _bytes.Advance(4 + n);
        Count++;
    }

    public void Add(int v)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_bytes.GetSpan(4), v);
        _bytes.Advance(4);
        Count++;
    }

    public void Add(long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_bytes.GetSpan(8), v);
        _bytes.Advance(8);
        Count++;
    }
}
