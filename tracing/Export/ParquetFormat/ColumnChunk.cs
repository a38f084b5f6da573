using System.Buffers;
using System.Runtime.InteropServices;
using Snappier;

namespace Minix318Emu.Tracing.Export.ParquetFormat;

/// <summary>
/// One column's pages in one row group, encoded in memory (so the columns of a row group can be
/// encoded on several threads and written in order): an optional dictionary page, then one data
/// page. Page bodies live in arrays rented from the shared pool until the chunk is written:
/// a trace's calls fill most of the heap, and every large new array would bring the collector
/// over all of them. Offsets are from the chunk's start until <see cref="ParquetFileWriter"/> places it.
/// </summary>
internal sealed class ColumnChunk
{
    private const int PlainEncoding = 0, PlainDictionary = 2, Rle = 3;
    private const int DataPage = 0, DictionaryPage = 2;

    private readonly List<(byte[] Array, int Length, bool Rented)> _parts = new(4);

    private ColumnChunk(ParquetColumn column, ParquetCodec codec)
    {
        Column = column;
        Codec = codec;
    }

    public ParquetColumn Column { get; }

    public ParquetCodec Codec { get; }

    public long Values { get; private set; }

    /// <summary>Bytes in the file: page headers and pages as stored (the footer's total_compressed_size).</summary>
    public long StoredSize { get; private set; }

    /// <summary>Page headers plus pages before compression (the footer's total_uncompressed_size).</summary>
    public long UncompressedSize { get; private set; }

    /// <summary>Offset of the dictionary page in the chunk, or -1.</summary>
    public long DictionaryOffset { get; private set; } = -1;

    /// <summary>Offset of the data page in the chunk.</summary>
    public long DataOffset { get; private set; }

    /// <summary>The encodings the chunk uses (the footer's list): values, and RLE named for the (absent) levels as writers do.</summary>
    public int[] Encodings => DictionaryOffset >= 0 ? [PlainDictionary, Rle] : [PlainEncoding, Rle];

    /// <summary>Fixed-width values (int, long) in PLAIN encoding: their little-endian bytes.</summary>
    public static ColumnChunk Plain<T>(ParquetColumn column, ParquetCodec codec, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Parquet export: PLAIN values are written as the host's bytes, which must be little-endian");
        }
        var c = new ColumnChunk(column, codec);
        c.Page(DataPage, MemoryMarshal.AsBytes(values), values.Length, PlainEncoding);
        c.Values = values.Length;
        return c;
    }

    /// <summary>Booleans in PLAIN encoding (bit-packed).</summary>
    public static ColumnChunk Booleans(ParquetColumn column, ParquetCodec codec, ReadOnlySpan<bool> values)
    {
        var raw = new ArrayBufferWriter<byte>((values.Length + 7) / 8 + 1);
        HybridEncoder.Booleans(values, raw);
        var c = new ColumnChunk(column, codec);
        c.Page(DataPage, raw.WrittenSpan, values.Length, PlainEncoding);
        c.Values = values.Length;
        return c;
    }

    /// <summary>
    /// A dictionary-encoded column: <paramref name="dictionary"/> is the PLAIN encoding of its
    /// <paramref name="entries"/> values, <paramref name="indices"/> the data page already
    /// encoded, shared by the columns that index alike.
    /// </summary>
    public static ColumnChunk Dictionary(ParquetColumn column, ParquetCodec codec, ReadOnlySpan<byte> dictionary, int entries, EncodedIndices indices)
    {
        var c = new ColumnChunk(column, codec);
        c.DictionaryOffset = 0;
        c.Page(DictionaryPage, dictionary, entries, PlainDictionary);
        c.DataOffset = c.StoredSize;
        c.Header(DataPage, indices.RawLength, indices.Stored.Length, indices.Count, PlainDictionary);
        c.Add(indices.Stored, indices.Stored.Length, rented: false);
        c.UncompressedSize += indices.RawLength;
        c.Values = indices.Count;
        return c;
    }

    /// <summary>Compresses <paramref name="raw"/> with <paramref name="codec"/> (a copy when uncompressed).</summary>
    public static byte[] Compress(ParquetCodec codec, ReadOnlySpan<byte> raw) => codec switch
    {
        ParquetCodec.Snappy => Snappy.CompressToArray(raw),
        _ => raw.ToArray(),
    };

    /// <summary>Writes the chunk's bytes and gives its arrays back to the pool.</summary>
    public void WriteTo(Stream stream)
    {
        foreach (var (array, length, rented) in _parts)
        {
            stream.Write(array, 0, length);
            if (rented)
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }
        _parts.Clear();
    }

    private void Page(int type, ReadOnlySpan<byte> raw, int count, int encoding)
    {
        byte[] body;
        int stored;
        if (Codec == ParquetCodec.Uncompressed)
        {
            body = ArrayPool<byte>.Shared.Rent(raw.Length);
            raw.CopyTo(body);
            stored = raw.Length;
        }
        else
        {
            body = ArrayPool<byte>.Shared.Rent(Snappy.GetMaxCompressedLength(raw.Length));
            stored = Snappy.Compress(raw, body);
        }
        Header(type, raw.Length, stored, count, encoding);
        Add(body, stored, rented: true);
        UncompressedSize += raw.Length;
    }

    private void Add(byte[] array, int length, bool rented)
    {
        _parts.Add((array, length, rented));
        StoredSize += length;
    }

    private void Header(int type, int rawLength, int storedLength, int count, int encoding)
    {
        var header = new ArrayBufferWriter<byte>(32);
        var t = new ThriftCompactWriter(header);
        t.BeginStruct();
        t.I32(1, type);
        t.I32(2, rawLength);
        t.I32(3, storedLength);
        if (type == DictionaryPage)
        {
            t.Struct(7);
            t.I32(1, count);
            t.I32(2, encoding);
            t.EndStruct();
        }
        else
        {
            t.Struct(5);
            t.I32(1, count);
            t.I32(2, encoding);
            t.I32(3, Rle);
            t.I32(4, Rle);
            t.EndStruct();
        }
        t.EndStruct();
        Add(header.WrittenSpan.ToArray(), header.WrittenCount, rented: false);
        UncompressedSize += header.WrittenCount;
    }
}
