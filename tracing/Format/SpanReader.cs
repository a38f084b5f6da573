using System.Buffers.Binary;
using System.Text;

namespace Minix318Emu.Tracing.Format;

/// <summary>A cursor over the trace bytes with the primitives of <see cref="TraceFormat"/> (no stream, no virtual calls: the reader's hot loop).</summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;

    public SpanReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        Position = 0;
    }

    public int Position;

    public readonly bool AtEnd => Position >= _data.Length;

    private ReadOnlySpan<byte> Take(int n)
    {
        // One unsigned compare also refuses a negative count (a damaged length read as an int).
        if ((uint)n > (uint)(_data.Length - Position))
        {
            throw new EndOfStreamException();
        }
        ReadOnlySpan<byte> s = _data.Slice(Position, n);
        Position += n;
        return s;
    }

    public byte U8() => Take(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>.NET's 7-bit encoded integer (BinaryWriter.Write7BitEncodedInt64).</summary>
    public long VarInt()
    {
        ulong result = 0;
        int shift = 0;
        while (true)
        {
            byte b = U8();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)result;
            }
            shift += 7;
            if (shift > 63)
            {
                throw new FormatException("a variable-length integer is too long");
            }
        }
    }

    public string Str()
    {
        int n = (int)VarInt();
        return Encoding.UTF8.GetString(Take(n));
    }

    public ReadOnlySpan<byte> Bytes(int n) => Take(n);
}
