using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Format;

/// <summary>Shares one array among equal call stacks (they repeat across millions of calls); a stack already seen allocates nothing.</summary>
public sealed class StackInterner
{
    private readonly Dictionary<int, List<TraceFrame[]>> _buckets = new();

    /// <summary>The shared array equal to <paramref name="frames"/>, made on first sight.</summary>
    public TraceFrame[] Intern(ReadOnlySpan<TraceFrame> frames)
    {
        var h = new HashCode();
        foreach (TraceFrame f in frames)
        {
            h.Add(f.Address);
        }
        int hash = h.ToHashCode();
        if (!_buckets.TryGetValue(hash, out List<TraceFrame[]>? bucket))
        {
            _buckets[hash] = bucket = new List<TraceFrame[]>(1);
        }
        foreach (TraceFrame[] candidate in bucket)
        {
            if (Same(candidate, frames))
            {
                return candidate;
            }
        }
        TraceFrame[] made = frames.ToArray();
        bucket.Add(made);
        return made;
    }

    private static bool Same(TraceFrame[] a, ReadOnlySpan<TraceFrame> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i].Address != b[i].Address || !ReferenceEquals(a[i].Symbol, b[i].Symbol))
            {
                return false;
            }
        }
        return true;
    }
}
