using System.Buffers;
using System.Text;

namespace Minix318Emu.Tracing.Export.ParquetFormat;

/// <summary>
/// Apache Thrift's compact protocol, the encoding of Parquet's page headers and file footer:
/// field headers carry the id as a delta from the previous field of the same struct, integers
/// are zigzag varints, a struct ends with a zero byte. Only what the writer needs.
/// </summary>
internal sealed class ThriftCompactWriter
{
    private const byte TrueType = 1, FalseType = 2, ByteType = 3, I32Type = 5, I64Type = 6, BinaryType = 8, ListType = 9, StructType = 12;

    private readonly ArrayBufferWriter<byte> _out;
    private readonly Stack<short> _outer = new();
    private short _last;

    public ThriftCompactWriter(ArrayBufferWriter<byte> output) => _out = output;

    /// <summary>Element type codes for <see cref="List"/>.</summary>
    public const byte ListOfI32 = I32Type, ListOfBinary = BinaryType, ListOfStruct = StructType;

    public void BeginStruct()
    {
        _outer.Push(_last);
        _last = 0;
    }

    public void EndStruct()
    {
        Byte(0);
        _last = _outer.Pop();
    }

    public void I32(short id, int v)
    {
        Field(id, I32Type);
        VarInt((uint)((v << 1) ^ (v >> 31)));
    }

    public void I64(short id, long v)
    {
        Field(id, I64Type);
        VarInt((ulong)((v << 1) ^ (v >> 63)));
    }

    public void I8(short id, sbyte v)
    {
        Field(id, ByteType);
        Byte((byte)v);
    }

    public void Bool(short id, bool v) => Field(id, v ? TrueType : FalseType);

    public void String(short id, string s)
    {
        Field(id, BinaryType);
        Binary(s);
    }

    /// <summary>A struct-valued field: write its fields, then <see cref="EndStruct"/>.</summary>
    public void Struct(short id)
    {
        Field(id, StructType);
        BeginStruct();
    }

    /// <summary>A list-valued field's header; then its <paramref name="count"/> elements.</summary>
    public void List(short id, byte elementType, int count)
    {
        Field(id, ListType);
        if (count < 15)
        {
            Byte((byte)(count << 4 | elementType));
        }
        else
        {
            Byte((byte)(0xF0 | elementType));
            VarInt((uint)count);
        }
    }

    /// <summary>A list element of type i32.</summary>
    public void ElementI32(int v) => VarInt((uint)((v << 1) ^ (v >> 31)));

    /// <summary>A list element of type binary (a string).</summary>
    public void Binary(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        VarInt((uint)n);
        Encoding.UTF8.GetBytes(s, _out.GetSpan(n));
        _out.Advance(n);
    }

    private void Field(short id, byte type)
    {
        int delta = id - _last;
        if (delta is > 0 and <= 15)
        {
            Byte((byte)(delta << 4 | type));
        }
        else
        {
            Byte(type);
            VarInt((uint)((id << 1) ^ (id >> 15)));
        }
        _last = id;
    }

    private void Byte(byte b)
    {
        _out.GetSpan(1)[0] = b;
        _out.Advance(1);
    }

    private void VarInt(ulong v)
    {
        Span<byte> s = _out.GetSpan(10);
        int n = 0;
        while (v >= 0x80)
        {
            s[n++] = (byte)(v | 0x80);
            v >>= 7;
        }
        s[n++] = (byte)v;
        _out.Advance(n);
    }
}
