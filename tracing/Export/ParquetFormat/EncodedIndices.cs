using System.Buffers;

namespace Minix318Emu.Tracing.Export.ParquetFormat;

/// <summary>
/// A data page of dictionary indices, encoded and compressed once: the process's four columns
/// (id, name, endpoint, CR3) index the same per-process dictionary entry, so they share the page.
/// </summary>
internal sealed class EncodedIndices
{
    public EncodedIndices(ReadOnlySpan<int> indices, int entries, ParquetCodec codec)
    {
        var raw = new ArrayBufferWriter<byte>((int)Math.Min(int.MaxValue, (long)indices.Length * HybridEncoder.Width(entries) / 8 + indices.Length / 400 + 16));
        HybridEncoder.DictionaryIndices(indices, HybridEncoder.Width(entries), raw);
        RawLength = raw.WrittenCount;
        Stored = ColumnChunk.Compress(codec, raw.WrittenSpan);
        Count = indices.Length;
    }

    public int Count { get; }

    public int RawLength { get; }

    public byte[] Stored { get; }
}
