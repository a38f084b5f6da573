using System.Buffers;
using System.Buffers.Binary;

namespace Minix318Emu.Tracing.Export.ParquetFormat;

/// <summary>
/// Writes a Parquet file (format version 1, as Apache's parquet-format specifies it): the magic
/// "PAR1", the row groups' column chunks in schema order, then the footer (FileMetaData in
/// Thrift's compact protocol), its length and the magic again. Every column is required and
/// top-level, so pages carry no repetition or definition levels.
/// </summary>
internal sealed class ParquetFileWriter
{
    private const int Required = 0, ConvertedUtf8 = 0, ConvertedInt32 = 17, ConvertedInt64 = 18;
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly Stream _stream;
    private readonly IReadOnlyList<ParquetColumn> _schema;
    private readonly List<(long Rows, long Offset, ColumnChunk[] Chunks, long[] Offsets)> _groups = new();
    private long _position;

    public ParquetFileWriter(Stream stream, IReadOnlyList<ParquetColumn> schema)
    {
        _stream = stream;
        _schema = schema;
        _stream.Write(Magic);
        _position = Magic.Length;
    }

    /// <summary>Appends a row group: one chunk per column, in schema order.</summary>
    public void WriteRowGroup(long rows, ColumnChunk[] chunks)
    {
        if (chunks.Length != _schema.Count)
        {
            throw new ArgumentException($"row group has {chunks.Length} columns, the schema {_schema.Count}", nameof(chunks));
        }
        var offsets = new long[chunks.Length];
        long start = _position;
        for (int i = 0; i < chunks.Length; i++)
        {
            if (chunks[i].Column != _schema[i] || chunks[i].Values != rows)
            {
                throw new ArgumentException($"column {i} is {chunks[i].Column.Name} with {chunks[i].Values} values, expected {_schema[i].Name} with {rows}", nameof(chunks));
            }
            offsets[i] = _position;
            chunks[i].WriteTo(_stream);
            _position += chunks[i].StoredSize;
        }
        _groups.Add((rows, start, chunks, offsets));
    }

    /// <summary>Writes the footer. The stream is left open.</summary>
    public void Finish()
    {
        var footer = new ArrayBufferWriter<byte>(4096);
        var t = new ThriftCompactWriter(footer);
        t.BeginStruct();
        t.I32(1, 1);
        t.List(2, ThriftCompactWriter.ListOfStruct, _schema.Count + 1);
        t.BeginStruct();
        t.String(4, "root");
        t.I32(5, _schema.Count);
        t.EndStruct();
        foreach (ParquetColumn c in _schema)
        {
            SchemaElement(t, c);
        }
        t.I64(3, _groups.Sum(g => g.Rows));
        t.List(4, ThriftCompactWriter.ListOfStruct, _groups.Count);
        foreach (var g in _groups)
        {
            t.BeginStruct();
            t.List(1, ThriftCompactWriter.ListOfStruct, g.Chunks.Length);
            for (int i = 0; i < g.Chunks.Length; i++)
            {
                ColumnChunkMetadata(t, g.Chunks[i], g.Offsets[i]);
            }
            t.I64(2, g.Chunks.Sum(c => c.UncompressedSize));
            t.I64(3, g.Rows);
            t.I64(5, g.Offset);
            t.I64(6, g.Chunks.Sum(c => c.StoredSize));
            t.EndStruct();
        }
        t.String(6, "minix318emu");
        t.EndStruct();
        _stream.Write(footer.WrittenSpan);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.WrittenCount);
        _stream.Write(length);
        _stream.Write(Magic);
    }

    private static void SchemaElement(ThriftCompactWriter t, ParquetColumn c)
    {
        t.BeginStruct();
        t.I32(1, (int)c.Type);
        t.I32(3, Required);
        t.String(4, c.Name);
        if (c.Type != ParquetType.Boolean)
        {
            t.I32(6, c.Type switch { ParquetType.String => ConvertedUtf8, ParquetType.Int32 => ConvertedInt32, _ => ConvertedInt64 });
            t.Struct(10); // LogicalType, a union
            if (c.Type == ParquetType.String)
            {
                t.Struct(1); // StringType
                t.EndStruct();
            }
            else
            {
                t.Struct(10); // IntType
                t.I8(1, c.Type == ParquetType.Int32 ? (sbyte)32 : (sbyte)64);
                t.Bool(2, true);
                t.EndStruct();
            }
            t.EndStruct();
        }
        t.EndStruct();
    }

    private static void ColumnChunkMetadata(ThriftCompactWriter t, ColumnChunk c, long offset)
    {
        t.BeginStruct();
        t.I64(2, offset + (c.DictionaryOffset >= 0 ? c.DictionaryOffset : c.DataOffset));
        t.Struct(3);
        t.I32(1, (int)c.Column.Type);
        int[] encodings = c.Encodings;
        t.List(2, ThriftCompactWriter.ListOfI32, encodings.Length);
        foreach (int e in encodings)
        {
            t.ElementI32(e);
        }
        t.List(3, ThriftCompactWriter.ListOfBinary, 1);
        t.Binary(c.Column.Name);
        t.I32(4, (int)c.Codec);
        t.I64(5, c.Values);
        t.I64(6, c.UncompressedSize);
        t.I64(7, c.StoredSize);
        t.I64(9, offset + c.DataOffset);
        if (c.DictionaryOffset >= 0)
        {
            t.I64(11, offset + c.DictionaryOffset);
        }
        t.EndStruct();
        t.EndStruct();
    }
}
