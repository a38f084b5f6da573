using System.Buffers;

namespace Minix318Emu.Tracing.Export.ParquetFormat;

/// <summary>
/// Parquet's RLE/bit-packing hybrid, the encoding of dictionary indices in a data page: a run
/// of eight or more equal values is one RLE run (header count&lt;&lt;1, the value in
/// ceil(width/8) bytes); anything else is bit-packed in groups of eight values, least
/// significant bit first (header groups&lt;&lt;1 | 1). Runs of bit-packed groups are capped at
/// 63 groups so every header is one byte, as parquet-mr writes them.
/// </summary>
internal static class HybridEncoder
{
    private const int MaxGroups = 63;

    /// <summary>The bits needed for indices below <paramref name="count"/>, at least 1.</summary>
    public static int Width(int count) => Math.Max(1, 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)Math.Max(0, count - 1)));

    /// <summary>Appends the data page body of dictionary indices: the bit width byte, then the hybrid runs.</summary>
    public static void DictionaryIndices(ReadOnlySpan<int> values, int width, ArrayBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = (byte)width;
        output.Advance(1);
        int i = 0, n = values.Length;
        while (i < n)
        {
            int run = RunAt(values, i);
            if (run >= 8)
            {
                Rle(values[i], run, width, output);
                i += run;
                continue;
            }
            int start = i, groups = 0;
            do
            {
                i += 8;
                groups++;
            }
            while (i < n && groups < MaxGroups && RunAt(values, i) < 8);
            BitPack(values, start, groups, width, output);
            i = Math.Min(i, n);
        }
    }

    /// <summary>Booleans as PLAIN encodes them: one bit each, least significant first.</summary>
    public static void Booleans(ReadOnlySpan<bool> values, ArrayBufferWriter<byte> output)
    {
        int bytes = (values.Length + 7) / 8;
        Span<byte> s = output.GetSpan(bytes)[..bytes];
        s.Clear();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i])
            {
                s[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
        output.Advance(bytes);
    }

    private static int RunAt(ReadOnlySpan<int> values, int i)
    {
        int v = values[i], j = i + 1;
        while (j < values.Length && values[j] == v)
        {
            j++;
        }
        return j - i;
    }

    private static void Rle(int value, int count, int width, ArrayBufferWriter<byte> output)
    {
        Span<byte> s = output.GetSpan(10);
        int n = VarInt((uint)count << 1, s);
        for (int b = 0; b < (width + 7) / 8; b++)
        {
            s[n++] = (byte)(value >> (8 * b));
        }
        output.Advance(n);
    }

    /// <summary>Packs groups*8 values from <paramref name="start"/>, zeros past the end of the values.</summary>
    private static void BitPack(ReadOnlySpan<int> values, int start, int groups, int width, ArrayBufferWriter<byte> output)
    {
        int bytes = groups * width; // 8 values of width bits = width bytes per group
        Span<byte> s = output.GetSpan(1 + bytes);
        s[0] = (byte)(groups << 1 | 1);
        int at = 1, bits = 0;
        ulong acc = 0;
        int end = start + groups * 8;
        for (int i = start; i < end; i++)
        {
            ulong v = i < values.Length ? (uint)values[i] : 0u;
            acc |= v << bits;
            bits += width;
            while (bits >= 8)
            {
                s[at++] = (byte)acc;
                acc >>= 8;
                bits -= 8;
            }
        }
        output.Advance(at);
    }

    private static int VarInt(uint v, Span<byte> s)
    {
        int n = 0;
        while (v >= 0x80)
        {
            s[n++] = (byte)(v | 0x80);
            v >>= 7;
        }
        s[n++] = (byte)v;
        return n;
    }
}
