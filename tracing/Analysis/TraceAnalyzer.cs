using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// Builds the report from a trace. Pairing and the live heap use outermost calls (those with no
/// traced parent): an allocation counts at its return, a free at its entry, matched by address
/// space and pointer. Nested calls give the allocator -> allocator and allocator -> backend
/// edges and per-function statistics; messages give the cross-process edges
/// (TraceAnalyzer.Ipc.cs); the per-process, redundancy and feature summaries are in
/// TraceAnalyzer.Summaries.cs.
/// </summary>
public static partial class TraceAnalyzer
{
    /// <summary>Lifetimes at or under this many guest ticks are Immediate (0.1 ms at the default 100 M ticks/s).</summary>
    public const ulong ImmediateTicks = 10_000;

    private const int MaxSeriesPoints = 1000;

    private readonly record struct LiveEntry(TraceCall Call, TraceFunction Function, ulong Size);

    /// <summary>An outermost allocation (at its return) or free (at its entry); Order is 2*id for entries, 2*id+1 for returns.</summary>
    /// <summary>How many times <see cref="Analyze(TraceFile, WorkProgress)"/> goes over the calls.</summary>
    public const int CallPasses = 4;

    private readonly record struct HeapEvent(ulong Time, long Order, TraceCall Call) : IComparable<HeapEvent>
    {
        public bool IsFree => (Order & 1) == 0;

        public int CompareTo(HeapEvent other) => Time != other.Time ? Time.CompareTo(other.Time) : Order.CompareTo(other.Order);
    }

    /// <summary>Analyses <paramref name="trace"/>.</summary>
    public static AnalysisReport Analyze(TraceFile trace) => Analyze(trace, null);

    /// <summary>
    /// Analyses <paramref name="trace"/>, reporting to <paramref name="progress"/> as it goes:
    /// the analysis passes over the calls <see cref="CallPasses"/> times, so its total is that many times the calls.
    /// </summary>
    public static AnalysisReport Analyze(TraceFile trace, WorkProgress? progress)
    {
        long visited = 0;
        progress?.Start((long)trace.Calls.Count * CallPasses, "");
        void Visit()
        {
            if (progress is not null && (++visited & 65535) == 0)
            {
                progress.Report(visited);
            }
        }
        var fns = trace.Functions;
        var procs = trace.Processes;
        // Ids are given densely at entry, so an array finds a call's parent without hashing.
        long maxId = -1;
        foreach (TraceCall c in trace.Calls)
        {
            Visit();
            maxId = Math.Max(maxId, c.Id);
        }
        var byIdArray = new TraceCall?[maxId + 1];
        foreach (TraceCall c in trace.Calls)
        {
            Visit();
            byIdArray[c.Id] = c;
        }
        TraceCall? Find(long id) => id >= 0 && id < byIdArray.Length ? byIdArray[id] : null;
        var stats = new Dictionary<int, AllocatorStats>();
        AllocatorStats Stat(int f)
        {
            if (!stats.TryGetValue(f, out var s))
            {
                TraceFunction tf = fns[f];
                stats[f] = s = new AllocatorStats { Name = tf.Name, Image = tf.Image, Family = tf.Family, Role = tf.Role.ToString() };
            }
            return s;
        }
        var sizes = new Dictionary<int, Dictionary<ulong, long>>();
        // Names repeat by reference (the reader shares one string per name), so keys compare references, not characters.
        var nameIds = new Dictionary<string, int>(ReferenceEqualityComparer.Instance);
        var byValue = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        int NameId(string n)
        {
            if (nameIds.TryGetValue(n, out int id))
            {
                return id; // this very string was seen before
            }
            if (!byValue.TryGetValue(n, out id))
            {
                id = names.Count;
                names.Add(n);
                byValue[n] = id;
            }
            nameIds[n] = id;
            return id;
        }
        var callers = new Dictionary<(int Function, int Site), (long Calls, ulong Bytes)>();
        var callees = new Dictionary<(int Function, int Callee), (long Calls, ulong Bytes)>();
        var processName = new int[procs.Count == 0 ? 0 : procs.Keys.Max() + 1]; // process id -> name id: edges are per program name
        foreach (var (id, p0) in procs)
        {
            processName[id] = NameId(p0.Name);
        }
        int processNames = names.Count; // process names take the first name ids
        var edges = new Dictionary<(int Process, int From, int To, bool Nested), (long Calls, ulong Bytes)>();
        var statArray = new AllocatorStats?[fns.Count == 0 ? 0 : fns.Keys.Max() + 1];

        var fnArray = new TraceFunction?[statArray.Length];
        var callsByProcess = new long[]?[statArray.Length]; // function -> calls per process name id
        foreach (var (id, f0) in fns)
        {
            fnArray[id] = f0;
        }
        foreach (TraceCall c in trace.Calls)
        {
            Visit();
            TraceFunction f = fnArray[c.Function]!;
            AllocatorStats s = statArray[c.Function] ??= Stat(c.Function);
            s.Calls++;
            (callsByProcess[c.Function] ??= new long[processNames])[processName[c.Process]]++;
            bool allocates = f.Role.Allocates();
            ulong bytes = (allocates || f.Role.Releases()) && !c.Negative ? c.Size : 0;
            if (c.Negative)
            {
                s.Releases++;
                s.BytesReleased += c.Size; // sbrk(-n): memory given back, not allocated
            }
            else if (allocates)
            {
                s.Bytes += c.Size;
                var d = sizes.TryGetValue(c.Function, out var x) ? x : sizes[c.Function] = new();
                d[c.Size] = d.GetValueOrDefault(c.Size) + 1;
            }
            int site = NameId(c.Caller.Function);
            var prev = callers.GetValueOrDefault((c.Function, site));
            callers[(c.Function, site)] = (prev.Calls + 1, prev.Bytes + bytes);
            TraceCall? parent = Find(c.Parent);
            if (parent is null)
            {
                s.OutermostCalls++;
                AddEdge(edges, (processName[c.Process], site, NameId(f.Name), false), bytes);
            }
            else
            {
                AddEdge(edges, (processName[c.Process], NameId(fnArray[parent.Function]!.Name), NameId(f.Name), true), bytes);
                var ce = callees.GetValueOrDefault((parent.Function, NameId(f.Name)));
                callees[(parent.Function, NameId(f.Name))] = (ce.Calls + 1, ce.Bytes + bytes);
                if (f.Role is AllocatorRole.Lock or AllocatorRole.Unlock)
                {
                    // Count locks against every traced ancestor: the threading model of each allocator level.
                    for (TraceCall? a = parent; a is not null; a = Find(a.Parent))
                    {
                        AllocatorStats sa = Stat(a.Function);
                        if (f.Role == AllocatorRole.Lock) sa.LockCalls++; else sa.UnlockCalls++;
                    }
                }
            }
        }

        // Pair outermost allocations and frees in time order.
        var events = new List<HeapEvent>(trace.Calls.Count);
        long unreturned = 0;
        foreach (TraceCall c in trace.Calls)
        {
            Visit();
            if (!c.Returned) unreturned++;
            if (Find(c.Parent) is not null) continue;
            AllocatorRole r = fnArray[c.Function]!.Role;
            if (r.Releases()) events.Add(new HeapEvent(c.Entry, c.Id * 2, c));
            if (r.Allocates() && c.Returned && !c.Negative) events.Add(new HeapEvent(c.Exit, c.Id * 2 + 1, c));
        }
        HeapEvent[] ordered = events.ToArray();
        Array.Sort(ordered); // by time, then entry before exit of the same call
        // Keys are (process << 32) | pointer.
        var live = new Dictionary<ulong, LiveEntry>();
        var reallocOldSize = new Dictionary<long, ulong>(); // realloc call id -> the size of the block it was given
        var freed = new Dictionary<ulong, TraceCall>();
        int stride = Math.Max(1, ordered.Length / (4 * MaxSeriesPoints)); // the live-bytes series keeps every stride-th event
        var anomalies = new List<Anomaly>();
        var series = new List<LivePoint>();
        ulong liveBytes = 0, peak = 0, peakTime = 0;
        long seen = 0;
        foreach (HeapEvent e in ordered)
        {
            TraceCall c = e.Call;
            TraceFunction f = fnArray[c.Function]!;
            if (e.IsFree)
            {
                string proc = procs[c.Process].Name;
                uint ptr = c.Pointer;
                if (ptr == 0) continue; // free(NULL), realloc(NULL, n)
                ulong key = ((ulong)(uint)c.Process << 32) | ptr;
                if (live.Remove(key, out LiveEntry le))
                {
                    if (f.Role == AllocatorRole.Realloc)
                    {
                        reallocOldSize[c.Id] = le.Size;
                    }
                    liveBytes -= Math.Min(liveBytes, le.Size);
                    freed[key] = c;
                    string cls = Classify(le.Call, c);
                    AllocatorStats sa = Stat(le.Call.Function);
                    sa.Lifetimes[cls] = sa.Lifetimes.GetValueOrDefault(cls) + 1;
                    if (le.Function.Family != f.Family)
                    {
                        anomalies.Add(new Anomaly("cross-family-free", f.Name, proc, ptr, c.Entry,
                            $"allocated by {le.Function.Name} ({le.Function.Family}), freed by {f.Name} ({f.Family})", Frames(c)));
                    }
                }
                else if (freed.ContainsKey(key))
                {
                    anomalies.Add(new Anomaly("double-free", f.Name, proc, ptr, c.Entry, "the block was already freed", Frames(c)));
                }
                else
                {
                    anomalies.Add(new Anomaly("unknown-free", f.Name, proc, ptr, c.Entry, "no traced allocation returned this pointer", Frames(c)));
                }
            }
            else
            {
                if (c.Result == 0) continue; // a failed allocation
                ulong key = ((ulong)(uint)c.Process << 32) | c.Result;
                live[key] = new LiveEntry(c, f, c.Size);
                freed.Remove(key);
                liveBytes += c.Size;
                if (liveBytes > peak)
                {
                    peak = liveBytes;
                    peakTime = c.Exit;
                }
            }
            if (++seen % stride == 0)
            {
                series.Add(new LivePoint(e.Time, liveBytes));
            }
        }
        var leaks = new List<HeapBlock>();
        foreach (var (key, le) in live.OrderBy(kv => kv.Value.Call.Id))
        {
            leaks.Add(new HeapBlock(le.Function.Name, le.Function.Family, procs[(int)(key >> 32)].Name, (uint)key, le.Size, le.Call.Exit, Frames(le.Call)));
            AllocatorStats sa = Stat(le.Call.Function);
            sa.Lifetimes["Persistent"] = sa.Lifetimes.GetValueOrDefault("Persistent") + 1;
        }

        bool locksHooked = fns.Values.Any(x => x.Role is AllocatorRole.Lock or AllocatorRole.Unlock);
        var callersByFunction = callers.GroupBy(kv => kv.Key.Function).ToDictionary(g => g.Key, g => g.ToList());
        var calleesByFunction = callees.GroupBy(kv => kv.Key.Function).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (f, s) in stats)
        {
            long[] perProcess = callsByProcess[f] ?? Array.Empty<long>();
            for (int n = 0; n < perProcess.Length; n++)
            {
                if (perProcess[n] > 0)
                {
                    s.CallsByProcess[names[n]] = perProcess[n];
                }
            }
            if (sizes.TryGetValue(f, out var d))
            {
                s.TopSizes = d.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(5).Select(kv => new SizeCount(kv.Key, kv.Value)).ToList();
                foreach (var (size, count) in d)
                {
                    s.SizeHistogram[Bucket(size)] = s.SizeHistogram.GetValueOrDefault(Bucket(size)) + count;
                }
            }
            if (callersByFunction.TryGetValue(f, out var cs))
            {
                s.Callers = cs.OrderByDescending(kv => kv.Value.Calls).ThenBy(kv => names[kv.Key.Site], StringComparer.Ordinal)
                    .Select(kv => new SiteCount(names[kv.Key.Site], kv.Value.Calls, kv.Value.Bytes)).ToList();
            }
            if (calleesByFunction.TryGetValue(f, out var ds))
            {
                s.Callees = ds.OrderByDescending(kv => kv.Value.Calls).ThenBy(kv => names[kv.Key.Callee], StringComparer.Ordinal)
                    .Select(kv => new SiteCount(names[kv.Key.Callee], kv.Value.Calls, kv.Value.Bytes)).ToList();
            }
            s.ThreadingModel = s.LockCalls > 0 ? $"locked: {s.LockCalls} lock acquisitions inside its calls"
                : locksHooked ? "no locking observed" : "not measured (the profile hooks no lock functions)";
        }
        var allocators = stats.Values.OrderBy(s => s.Image, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
        ulong end = trace.Calls.Count == 0 ? 0 : trace.Calls.Max(c => c.Exit);
        progress?.Report(visited);
        return new AnalysisReport
        {
            Trace = new TraceSummary(trace.Header.Profile, trace.Header.TicksPerSecond, trace.Calls.Count, unreturned,
                trace.Header.Images.Select(i => $"{i.Name} ({i.Scope.ToString().ToLowerInvariant()}, sha256 {i.Sha256})").ToList(),
                procs.Values.OrderBy(p => p.Id).Select(p => p.Label).ToList(),
                trace.Header.TicksPerSecond == 0 ? 0 : (double)end / trace.Header.TicksPerSecond),
            Thresholds = new LifetimeThresholds(ImmediateTicks,
                "Immediate: freed within ImmediateTicks; else Scoped: freed while the allocating caller's frame is on the stack; else Dynamic; never freed: Persistent"),
            Allocators = allocators,
            Edges = edges.Select(kv => new TopologyEdge(names[kv.Key.Process], names[kv.Key.From], names[kv.Key.To], kv.Key.Nested ? "nested" : "call", kv.Value.Calls, kv.Value.Bytes))
                .Concat(IpcEdges(trace, fnArray, Find))
                .OrderBy(e => e.Process, StringComparer.Ordinal).ThenBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)
                .ThenBy(e => e.Kind, StringComparer.Ordinal).ThenBy(e => e.ToProcess, StringComparer.Ordinal).ThenBy(e => e.Message, StringComparer.Ordinal).ToList(),
            Live = new LiveHeap(peak, peakTime, liveBytes, live.Count, Downsample(series)),
            Leaks = leaks,
            Anomalies = anomalies,
            AllocationPatterns = allocators.Where(a => a.Role is "Alloc" or "ZoneAlloc" or "MapAlloc" or "Realloc").Select(a => Pattern(a, sizes, fns)).ToList(),
            Processes = ProcessTable(trace, fnArray, Find),
            Messages = Messages(trace),
            Redundancy = Redundancy(trace, fnArray, Find),
            Features = Features(trace, fnArray, Find, reallocOldSize),
        };
    }

    private static void AddEdge(Dictionary<(int, int, int, bool), (long Calls, ulong Bytes)> edges, (int, int, int, bool) key, ulong bytes)
    {
        var v = edges.GetValueOrDefault(key);
        edges[key] = (v.Calls + 1, v.Bytes + bytes);
    }

    /// <summary>Power-of-two bucket label: the smallest power of two at or above the size.</summary>
    public static string Bucket(ulong size)
    {
        ulong p = 1;
        while (p < size)
        {
            p <<= 1;
        }
        return $"<={p}";
    }

    private static string Classify(TraceCall alloc, TraceCall free)
    {
        if (free.Entry - Math.Min(free.Entry, alloc.Exit) <= ImmediateTicks)
        {
            return "Immediate";
        }
        // Scoped: the frames above the allocating caller (the allocation's stack minus its innermost
        // return address) are still the outer frames of the free's stack.
        int n = alloc.Stack.Length - 1;
        if (n > 0 && free.Stack.Length > n)
        {
            bool match = true;
            for (int i = 0; i < n && match; i++)
            {
                match = alloc.Stack[alloc.Stack.Length - 1 - i].Address == free.Stack[free.Stack.Length - 1 - i].Address;
            }
            if (match)
            {
                return "Scoped";
            }
        }
        return "Dynamic";
    }

    private static List<string> Frames(TraceCall c) => c.Stack.Select(f => f.Symbol.Length > 0 ? f.Symbol : $"0x{f.Address:x8}").ToList();

    private static List<LivePoint> Downsample(List<LivePoint> s)
    {
        if (s.Count <= MaxSeriesPoints)
        {
            return s;
        }
        var o = new List<LivePoint>(MaxSeriesPoints + 1);
        double step = (double)s.Count / MaxSeriesPoints;
        for (int i = 0; i < MaxSeriesPoints; i++)
        {
            o.Add(s[(int)(i * step)]);
        }
        o.Add(s[^1]);
        return o;
    }

    private static AllocationPattern Pattern(AllocatorStats a, Dictionary<int, Dictionary<ulong, long>> sizes, IReadOnlyDictionary<int, TraceFunction> fns)
    {
        var all = new List<ulong>();
        foreach (var (f, d) in sizes)
        {
            if (fns[f].Name == a.Name && fns[f].Image == a.Image)
            {
                foreach (var (size, count) in d)
                {
                    for (long i = 0; i < Math.Min(count, 100_000); i++) all.Add(size);
                }
            }
        }
        all.Sort();
        var dist = all.Count == 0
            ? new SizeDistribution(0, 0, 0, 0, new SortedDictionary<string, long>(StringComparer.Ordinal))
            : new SizeDistribution(all[0], all[^1], all.Average(x => (double)x), all[all.Count / 2], a.SizeHistogram);
        var features = new List<string>();
        if (a.Role == "ZoneAlloc") features.Add("fixed-size zone elements");
        if (a.Name == "calloc") features.Add("zeroed memory");
        if (a.Name is "memalign" or "valloc" or "posix_memalign") features.Add("aligned blocks");
        if (a.Role == "Realloc") features.Add("resizes blocks (see features.realloc)");
        if (a.Family == "coremap") features.Add("resource map (first fit over address ranges)");
        if (a.LockCalls > 0) features.Add("lock-protected");
        if (a.Lifetimes.GetValueOrDefault("Persistent") > 0) features.Add($"{a.Lifetimes["Persistent"]} blocks never freed");
        return new AllocationPattern(a.Name, a.Family, a.Callers.Select(c => $"{c.Site} ({c.Calls})").ToList(), dist, a.ThreadingModel, features, a.Image);
    }
}
