using CsCheck;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>A damaged copy of a file: cut to <see cref="Length"/>, then bits flipped, bytes overwritten with boundary values.</summary>
internal sealed record ByteMutation(int Length, (int Offset, byte Value, bool Xor)[] Edits)
{
    /// <summary>Mutations of <paramref name="original"/> whose edits fall in the first <paramref name="hotBytes"/> bytes (headers) or anywhere.</summary>
    public static Gen<ByteMutation> For(byte[] original, int hotBytes)
    {
        int hot = Math.Min(hotBytes, original.Length);
        Gen<int> offset = Gen.Frequency((4, Gen.Int[0, hot - 1]), (1, Gen.Int[0, original.Length - 1]));
        Gen<byte> value = Gen.Frequency((1, Gen.OneOf<byte>(0x00, 0x01, 0x7F, 0x80, 0xFF)), (1, Gen.Byte));
        Gen<(int, byte, bool)> edit = Gen.Select(offset, value, Gen.Bool, (o, v, x) => (o, x ? (byte)(1 << (v & 7)) : v, x));
        Gen<int> length = Gen.Frequency((5, Gen.Const(original.Length)), (1, Gen.Int[0, original.Length]));
        return Gen.Select(length, edit.Array[1, 16], (l, e) => new ByteMutation(l, e));
    }

    /// <summary>The mutated bytes.</summary>
    public byte[] Apply(byte[] original)
    {
        byte[] b = original.AsSpan(0, Length).ToArray();
        foreach ((int o, byte v, bool xor) in Edits)
        {
            if (o < b.Length)
            {
                b[o] = xor ? (byte)(b[o] ^ v) : v;
            }
        }
        return b;
    }

    /// <inheritdoc/>
    public override string ToString() => $"length {Length}, edits [{string.Join(", ", Edits.Select(e => $"0x{e.Offset:X}{(e.Xor ? "^" : "=")}0x{e.Value:X2}"))}]";
}
