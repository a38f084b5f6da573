using System.Text;

namespace Minix318Emu.Emulator.Snapshots;

/// <summary>
/// What a state belongs to: the machine's configuration and the identity of its disk images
/// and boot files, as ordered key=value pairs. A state resumes only on a machine with the same
/// description, and a mismatch names the key that differs.
/// </summary>
public sealed class MachineDescription
{
    private readonly List<KeyValuePair<string, string>> _items = new();

    /// <summary>Adds a key.</summary>
    public MachineDescription Add(string key, string value)
    {
        if (key.Contains('=') || key.Contains('\n') || value.Contains('\n'))
        {
            throw new ArgumentException($"bad machine description item {key}={value}");
        }
        _items.Add(new(key, value));
        return this;
    }

    /// <summary>The items, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    /// <summary>The first difference from <paramref name="here"/>, or null when the two describe the same machine.</summary>
    public string? FirstDifference(MachineDescription here)
    {
        var mine = _items.ToDictionary(i => i.Key, i => i.Value);
        var theirs = here._items.ToDictionary(i => i.Key, i => i.Value);
        foreach (var (k, v) in _items)
        {
            if (!theirs.TryGetValue(k, out string? h))
            {
                return $"{k} is {v} in the state, absent here";
            }
            if (h != v)
            {
                return $"{k} is {v} in the state, {h} here";
            }
        }
        foreach (var (k, v) in here._items)
        {
            if (!mine.ContainsKey(k))
            {
                return $"{k} is {v} here, absent in the state";
            }
        }
        return null;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in _items)
        {
            sb.Append(k).Append('=').Append(v).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Parses <see cref="ToString"/>'s form.</summary>
    public static MachineDescription Parse(string text, string path)
    {
        var d = new MachineDescription();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                throw new SnapshotException($"{path}: the machine description line '{line}' has no key");
            }
            if (d._items.Any(i => i.Key == line[..eq]))
            {
                throw new SnapshotException($"{path}: the machine description names {line[..eq]} twice");
            }
            d._items.Add(new(line[..eq], line[(eq + 1)..]));
        }
        return d;
    }
}
