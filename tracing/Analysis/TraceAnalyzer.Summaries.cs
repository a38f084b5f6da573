using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>The per-process table, the redundancy factor and the feature variations.</summary>
public static partial class TraceAnalyzer
{
    /// <summary>The redundancy factor's definition, as the reports state it.</summary>
    public const string RedundancyDefinition =
        "the share of outermost allocating calls (allocations a program asked for itself, not an allocator's calls to its own backend; "
        + "sbrk(-n) excluded) made in processes whose program allocates through more than one allocator family; by calls, and by bytes. "
        + "0 means every process allocates through one family; 1 means every allocation happens in a process that uses several.";

    /// <summary>valloc's alignment: the i386 page.</summary>
    private const ulong PageSize = 4096;

    private static bool OutermostAllocation(TraceCall c, TraceFunction f, Func<long, TraceCall?> find) =>
        f.Role.Allocates() && !c.Negative && find(c.Parent) is null;

    private static List<ProcessStats> ProcessTable(TraceFile t, TraceFunction?[] fns, Func<long, TraceCall?> find)
    {
        var byName = new Dictionary<string, ProcessStats>(StringComparer.Ordinal);
        ProcessStats Of(string name) => byName.TryGetValue(name, out var p) ? p : byName[name] = new ProcessStats { Name = name };
        foreach (TraceProcess p in t.Processes.Values.OrderBy(p => p.Id))
        {
            ProcessStats s = Of(p.Name);
            if (p.Endpoint is int e && !s.Endpoints.Contains(e))
            {
                s.Endpoints.Add(e);
            }
        }
        foreach (TraceCall c in t.Calls)
        {
            TraceFunction f = fns[c.Function]!;
            ProcessStats s = Of(t.Processes[c.Process].Name);
            s.Calls++;
            s.CallsByFunction[f.Name] = s.CallsByFunction.GetValueOrDefault(f.Name) + 1;
            if (OutermostAllocation(c, f, find))
            {
                s.Bytes += c.Size;
            }
        }
        foreach (TraceIpc m in t.Messages)
        {
            if (m.Kind == IpcKind.Request)
            {
                Of(t.Processes[m.Receiver].Name).RequestsReceived++;
            }
            if (m.Sender >= 0)
            {
                Of(t.Processes[m.Sender].Name).MessagesSent++;
            }
        }
        foreach (ProcessStats s in byName.Values)
        {
            s.Endpoints.Sort();
        }
        return byName.Values.OrderByDescending(s => s.Calls).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    private static RedundancyStats Redundancy(TraceFile t, TraceFunction?[] fns, Func<long, TraceCall?> find)
    {
        var use = new Dictionary<string, SortedDictionary<string, (long Calls, ulong Bytes)>>(StringComparer.Ordinal);
        foreach (TraceCall c in t.Calls)
        {
            TraceFunction f = fns[c.Function]!;
            if (!OutermostAllocation(c, f, find))
            {
                continue;
            }
            string p = t.Processes[c.Process].Name;
            if (!use.TryGetValue(p, out var families))
            {
                use[p] = families = new SortedDictionary<string, (long, ulong)>(StringComparer.Ordinal);
            }
            var v = families.GetValueOrDefault(f.Family);
            families[f.Family] = (v.Calls + 1, v.Bytes + c.Size);
        }
        long calls = 0, redundantCalls = 0;
        ulong bytes = 0, redundantBytes = 0;
        var processes = new List<ProcessFamilies>();
        foreach (var (p, families) in use.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            long pc = families.Values.Sum(v => v.Calls);
            ulong pb = families.Values.Aggregate(0UL, (a, v) => a + v.Bytes);
            calls += pc;
            bytes += pb;
            if (families.Count > 1)
            {
                redundantCalls += pc;
                redundantBytes += pb;
            }
            processes.Add(new ProcessFamilies(p, families.Select(kv => new FamilyUse(kv.Key, kv.Value.Calls, kv.Value.Bytes)).ToList()));
        }
        return new RedundancyStats(RedundancyDefinition, calls == 0 ? 0 : (double)redundantCalls / calls, bytes == 0 ? 0 : (double)redundantBytes / bytes, processes);
    }

    private static FeatureStats Features(TraceFile t, TraceFunction?[] fns, Func<long, TraceCall?> find, Dictionary<long, ulong> reallocOldSize)
    {
        long zeroCalls = 0;
        ulong zeroBytes = 0;
        var aligned = new SortedDictionary<string, (long Calls, SortedDictionary<ulong, long> Alignments, long Misaligned)>(StringComparer.Ordinal);
        long rc = 0, grew = 0, shrank = 0, same = 0, inPlace = 0, moved = 0, fromNull = 0, toZero = 0, unknown = 0;
        ulong grown = 0;
        foreach (TraceCall c in t.Calls)
        {
            TraceFunction f = fns[c.Function]!;
            switch (f.Name)
            {
                case "calloc":
                    zeroCalls++;
                    zeroBytes += c.Size;
                    break;
                case "memalign" or "valloc" or "posix_memalign":
                {
                    // memalign(alignment, size); posix_memalign(&p, alignment, size); valloc(size) aligns to the page.
                    ulong alignment = f.Name switch { "memalign" => c.Arg(0), "posix_memalign" => c.Arg(1), _ => PageSize };
                    if (!aligned.TryGetValue(f.Name, out var a))
                    {
                        aligned[f.Name] = a = (0, new SortedDictionary<ulong, long>(), 0);
                    }
                    a.Alignments[alignment] = a.Alignments.GetValueOrDefault(alignment) + 1;
                    bool misaligned = f.Name != "posix_memalign" && c.Returned && c.Result != 0 && alignment != 0 && c.Result % alignment != 0;
                    aligned[f.Name] = (a.Calls + 1, a.Alignments, a.Misaligned + (misaligned ? 1 : 0));
                    break;
                }
            }
            if (f.Role != AllocatorRole.Realloc || find(c.Parent) is not null || !c.Returned)
            {
                continue; // realloc's behaviour is measured on outermost calls, whose blocks the pairing knows
            }
            rc++;
            if (c.Pointer == 0)
            {
                fromNull++;
                continue;
            }
            if (c.Size == 0)
            {
                toZero++;
                continue;
            }
            if (c.Result != 0)
            {
                if (c.Result == c.Pointer) inPlace++; else moved++;
            }
            if (!reallocOldSize.TryGetValue(c.Id, out ulong old))
            {
                unknown++;
            }
            else if (c.Size > old)
            {
                grew++;
                grown += c.Size - old;
            }
            else if (c.Size < old) shrank++;
            else same++;
        }
        return new FeatureStats(new ZeroingUse(zeroCalls, zeroBytes),
            aligned.Select(kv => new AlignmentUse(kv.Key, kv.Value.Calls, kv.Value.Alignments, kv.Value.Misaligned)).ToList(),
            new ReallocUse(rc, grew, shrank, same, inPlace, moved, fromNull, toZero, unknown, grown));
    }
}
