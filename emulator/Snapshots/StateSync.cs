using System.Runtime.InteropServices;
using System.Text;

namespace Minix318Emu.Emulator.Snapshots;

/// <summary>
/// Carries one machine part's fields to or from a snapshot section. Each method takes the
/// field's current value and returns the value to keep: when saving it writes the value and
/// returns it unchanged, when loading it ignores it and returns what the file holds. A part
/// writes <c>_x = s.U32(_x);</c> for every field, in one order, and both directions follow.
/// Values are little-endian and fixed-size; spans are filled in place and must match the
/// saved length, which catches a section written by a different layout.
/// </summary>
public sealed class StateSync
{
    private readonly BinaryWriter? _w;
    private readonly BinaryReader? _r;
    private readonly string _section;

    private StateSync(BinaryWriter? w, BinaryReader? r, string section)
    {
        _w = w;
        _r = r;
        _section = section;
    }

    /// <summary>A sync that saves into <paramref name="output"/>.</summary>
    public static StateSync ForSaving(Stream output, string section) => new(new BinaryWriter(output, Encoding.UTF8, leaveOpen: true), null, section);

    /// <summary>A sync that loads from <paramref name="input"/>.</summary>
    public static StateSync ForLoading(Stream input, string section) => new(null, new BinaryReader(input, Encoding.UTF8, leaveOpen: true), section);

    /// <summary>Whether this sync reads the state back (parts then rebuild their caches).</summary>
    public bool Loading => _r is not null;

    /// <summary>The section being synced, for messages.</summary>
    public string Section => _section;

    /// <summary>A boolean.</summary>
    public bool Bool(bool v)
    {
        if (_w is not null)
        {
            _w.Write(v);
            return v;
        }
        return Read(r => r.ReadByte()) switch
        {
            0 => false,
            1 => true,
            var b => throw Corrupt($"a boolean holds {b}"),
        };
    }

    /// <summary>A byte.</summary>
    public byte U8(byte v)
    {
        _w?.Write(v);
        return _w is not null ? v : Read(r => r.ReadByte());
    }

    /// <summary>A 16-bit value.</summary>
    public ushort U16(ushort v)
    {
        _w?.Write(v);
        return _w is not null ? v : Read(r => r.ReadUInt16());
    }

    /// <summary>A 32-bit value.</summary>
    public uint U32(uint v)
    {
        _w?.Write(v);
        return _w is not null ? v : Read(r => r.ReadUInt32());
    }

    /// <summary>A signed 32-bit value.</summary>
    public int I32(int v)
    {
        _w?.Write(v);
        return _w is not null ? v : Read(r => r.ReadInt32());
    }

    /// <summary>A 64-bit value.</summary>
    public ulong U64(ulong v)
    {
        _w?.Write(v);
        return _w is not null ? v : Read(r => r.ReadUInt64());
    }

    /// <summary>A signed 64-bit value.</summary>
    public long I64(long v)
    {
        _w?.Write(v);
        return _w is not null ? v : Read(r => r.ReadInt64());
    }

    /// <summary>A count that must lie in 0..<paramref name="max"/> when loaded (a corrupt count must not allocate gigabytes).</summary>
    public int Count(int v, int max, string what)
    {
        int n = I32(v);
        if (n < 0 || n > max)
        {
            throw Corrupt($"{what}: count {n} is outside 0..{max}");
        }
        return n;
    }

    /// <summary>A string.</summary>
    public string Str(string v)
    {
        if (_w is not null)
        {
            _w.Write(v);
            return v;
        }
        return Read(r => r.ReadString());
    }

    /// <summary>An enum stored as its 32-bit value.</summary>
    public T Enum<T>(T v) where T : struct, Enum
    {
        int raw = I32(Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture));
        var loaded = (T)System.Enum.ToObject(typeof(T), raw);
        if (Loading && !System.Enum.IsDefined(loaded))
        {
            throw Corrupt($"{typeof(T).Name} value {raw} does not exist");
        }
        return loaded;
    }

    /// <summary>A fixed-length run of bytes, filled in place when loading.</summary>
    public void Bytes(Span<byte> data)
    {
        int n = Count(data.Length, int.MaxValue, "bytes");
        if (n != data.Length)
        {
            throw Corrupt($"{n} bytes saved where {data.Length} are expected");
        }
        if (_w is not null)
        {
            _w.Write(data);
            return;
        }
        if (_r!.Read(data) != data.Length)
        {
            throw Corrupt("the data ends early");
        }
    }

    /// <summary>A fixed-length run of 32-bit values, filled in place when loading.</summary>
    public void U32s(Span<uint> data) => Bytes(MemoryMarshal.AsBytes(data));

    /// <summary>A fixed-length run of 64-bit values, filled in place when loading.</summary>
    public void U64s(Span<ulong> data) => Bytes(MemoryMarshal.AsBytes(data));

    /// <summary>A fixed-length run of booleans, filled in place when loading.</summary>
    public void Bools(Span<bool> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = Bool(data[i]);
        }
    }

    /// <summary>A byte array of any length up to <paramref name="max"/>.</summary>
    public byte[] Blob(byte[] v, int max)
    {
        int n = Count(v.Length, max, "blob");
        byte[] data = Loading ? new byte[n] : v;
        if (_w is not null)
        {
            _w.Write(v);
        }
        else if (n > 0 && _r!.Read(data) != n)
        {
            throw Corrupt("the data ends early");
        }
        return data;
    }

    /// <summary>A queue of bytes (a FIFO), refilled in place when loading.</summary>
    public void Queue(Queue<byte> q, int max)
    {
        byte[] items = Blob(Loading ? [] : q.ToArray(), max);
        if (Loading)
        {
            q.Clear();
            foreach (byte b in items)
            {
                q.Enqueue(b);
            }
        }
    }

    /// <summary>A list of bytes, refilled in place when loading.</summary>
    public void List(List<byte> l, int max)
    {
        byte[] items = Blob(Loading ? [] : l.ToArray(), max);
        if (Loading)
        {
            l.Clear();
            l.AddRange(items);
        }
    }

    /// <summary>A marker whose value is checked on load: it catches a part that read more or less than was written.</summary>
    public void Check(uint marker)
    {
        uint v = U32(marker);
        if (v != marker)
        {
            throw Corrupt($"marker {v:X8} where {marker:X8} was expected (the section's layout differs)");
        }
    }

    /// <summary>An error naming this section.</summary>
    public SnapshotException Corrupt(string problem) => new($"section {_section}: {problem}");

    private T Read<T>(Func<BinaryReader, T> read)
    {
        try
        {
            return read(_r!);
        }
        catch (EndOfStreamException)
        {
            throw Corrupt("the data ends early");
        }
    }
}
