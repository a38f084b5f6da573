using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tracing.Export;

/// <summary>Distinct stacks, numbered in order of first use: a trace repeats few stacks many times.</summary>
internal sealed class StackTable
{
    private readonly Dictionary<TraceFrame[], int> _ids = new(new FramesComparer());

    // The trace reader shares one array per distinct stack, so the array itself is looked up first.
    private readonly Dictionary<TraceFrame[], int> _byReference = new(ReferenceEqualityComparer.Instance);
    private TraceFrame[]? _last;
    private int _lastId;

    /// <summary>The stacks by id.</summary>
    public List<TraceFrame[]> Stacks { get; } = new();

    /// <summary>The id of <paramref name="frames"/>, new if unseen.</summary>
    public int Id(TraceFrame[] frames)
    {
        if (ReferenceEquals(frames, _last))
        {
            return _lastId; // calls from one place often follow each other (an allocation and its free)
        }
        if (_byReference.TryGetValue(frames, out int id))
        {
            _last = frames;
            _lastId = id;
            return id;
        }
        if (!_ids.TryGetValue(frames, out id))
        {
            id = Stacks.Count;
            Stacks.Add(frames);
            _ids[frames] = id;
        }
        _byReference[frames] = id;
        _last = frames;
        _lastId = id;
        return id;
    }

    /// <summary>Equal when every frame has the same address and symbol (one address can be two symbols in two programs).</summary>
    private sealed class FramesComparer : IEqualityComparer<TraceFrame[]>
    {
        public bool Equals(TraceFrame[]? x, TraceFrame[]? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }
            if (x is null || y is null || x.Length != y.Length)
            {
                return false;
            }
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i].Address != y[i].Address || !string.Equals(x[i].Symbol, y[i].Symbol, StringComparison.Ordinal))
                {
                    return false;
                }
            }
            return true;
        }

        public int GetHashCode(TraceFrame[] frames)
        {
            var h = new HashCode();
            foreach (TraceFrame f in frames)
            {
                h.Add(f.Address);
            }
            return h.ToHashCode();
        }
    }
}
