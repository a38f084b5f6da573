using System.Globalization;
using System.Text;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// The topology report as Markdown (report.md), readable on a code host: an executive summary,
/// the process x allocator table, the cross-process and in-process edges, per allocator its
/// callers, callees, sizes, lifetimes and threading, the feature variations, the redundancy
/// factor with its definition, the message flows, leaks and anomalies, and how it was measured.
/// Every number comes from the <see cref="AnalysisReport"/>.
/// </summary>
public static class MarkdownReport
{
    private const int MaxRows = 25;

    /// <summary>Writes the report; the title names the images traced.</summary>
    public static string Write(AnalysisReport r)
    {
        string title = r.Trace.Images.Count == 0 ? "(no images)" : string.Join(" + ", r.Trace.Images.Select(i => i[..i.IndexOf(' ', StringComparison.Ordinal)]));
        var sb = new StringBuilder();
        sb.Append($"# Allocation topology: {title}\n\n");
        sb.Append($"Measured by minix318emu's allocation tracer (profile `{r.Trace.Profile}`): {N(r.Trace.Calls)} traced calls "
            + $"({N(r.Trace.UnreturnedCalls)} still in progress at the end) and {N(r.Messages.Delivered)} delivered messages in "
            + $"{r.Trace.GuestSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s of guest time. The JSON report (`report.json`) holds every number below and more.\n\n");
        Summary(sb, r);
        Processes(sb, r);
        Topology(sb, r);
        Allocators(sb, r);
        Features(sb, r);
        Redundancy(sb, r);
        Messages(sb, r);
        LeaksAndAnomalies(sb, r);
        Method(sb, r);
        return sb.ToString();
    }

    private static void Summary(StringBuilder sb, AnalysisReport r)
    {
        var families = r.Allocators.GroupBy(a => a.Family).Select(g => (Family: g.Key, Calls: g.Sum(a => a.Calls))).OrderByDescending(x => x.Calls).ToList();
        var used = r.Processes.Where(p => p.Calls > 0).ToList();
        long outermost = r.Redundancy.Processes.Sum(p => p.Families.Sum(f => f.Calls));
        ulong bytes = r.Redundancy.Processes.Aggregate(0UL, (a, p) => a + p.Families.Aggregate(0UL, (b, f) => b + f.Bytes));
        var ipc = r.Edges.Where(e => e.Kind == "ipc").ToList();
        sb.Append("## Executive summary\n\n");
        sb.Append($"- **Allocators seen:** {r.Allocators.Select(a => a.Name).Distinct().Count()} functions in {families.Count} families"
            + $" ({string.Join(", ", families.Select(f => $"{f.Family} {N(f.Calls)} calls"))}).\n");
        sb.Append($"- **Calls:** {N(r.Trace.Calls)} traced calls; {N(outermost)} of them are allocations the programs asked for themselves (outermost allocating calls), for {B(bytes)}.\n");
        if (r.Allocators.Count > 0)
        {
            AllocatorStats top = r.Allocators.OrderByDescending(a => a.Calls).First();
            sb.Append($"- **Busiest allocator:** `{top.Name}` in {top.Image} ({top.Family}), {N(top.Calls)} calls, {Pct(top.Calls, r.Trace.Calls)} of all traced calls.\n");
        }
        sb.Append($"- **Processes:** {used.Count} with traced calls ({string.Join(", ", used.Select(p => $"{p.Name} {N(p.Calls)}"))})"
            + (r.Processes.Count > used.Count ? $"; {r.Processes.Count - used.Count} more seen only in messages" : "") + ".\n");
        if (ipc.Count > 0)
        {
            TopologyEdge heaviest = ipc.OrderByDescending(e => e.Bytes).First();
            sb.Append($"- **Cross-process edges:** {ipc.Count} (client, call chain, message, server, handler) edges over {N(ipc.Sum(e => e.Calls))} requests; "
                + $"the heaviest by bytes: {Code(ReportWriters.Describe(heaviest))}, {N(heaviest.Calls)} requests, {B(heaviest.Bytes)} allocated by the server.\n");
        }
        sb.Append($"- **Redundancy factor:** {F(r.Redundancy.ByCalls)} by calls, {F(r.Redundancy.ByBytes)} by bytes (defined in [Redundancy factor](#redundancy-factor)).\n");
        sb.Append($"- **Live heap:** peak {B(r.Live.PeakBytes)}; at the end {B(r.Live.FinalBytes)} in {N(r.Live.FinalBlocks)} blocks never freed; {N(r.Anomalies.Count)} anomalies.\n\n");
    }

    private static void Processes(StringBuilder sb, AnalysisReport r)
    {
        var used = r.Processes.Where(p => p.Calls > 0).ToList();
        if (used.Count == 0)
        {
            return;
        }
        var functions = r.Allocators.Select(a => a.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        sb.Append("## Processes and their allocators\n\nTraced calls per process (all processes of one name together) and function; bytes are what the process's outermost allocating calls asked for.\n\n");
        sb.Append($"| process | endpoints | {string.Join(" | ", functions)} | calls | bytes | requests served |\n");
        sb.Append($"|---|---|{string.Concat(functions.Select(_ => "---:|"))}---:|---:|---:|\n");
        foreach (ProcessStats p in used)
        {
            sb.Append($"| {p.Name} | {string.Join(", ", p.Endpoints)} | {string.Join(" | ", functions.Select(f => p.CallsByFunction.TryGetValue(f, out long n) ? N(n) : ""))} "
                + $"| {N(p.Calls)} | {N(p.Bytes)} | {N(p.RequestsReceived)} |\n");
        }
        sb.Append($"| **all** | | {string.Join(" | ", functions.Select(f => N(used.Sum(p => p.CallsByFunction.GetValueOrDefault(f)))))} "
            + $"| {N(used.Sum(p => p.Calls))} | {N(used.Aggregate(0UL, (a, p) => a + p.Bytes))} | |\n\n");
    }

    private static void Topology(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("## Topology\n\n");
        var ipc = r.Edges.Where(e => e.Kind == "ipc").OrderByDescending(e => e.Bytes).ThenByDescending(e => e.Calls).ToList();
        if (ipc.Count > 0)
        {
            sb.Append("### Cross-process edges\n\nA client's traced calls in progress when its message was delivered, the message, and the server's request handler; "
                + "requests counted, and the bytes the server's outermost allocating calls took while serving them. "
                + "\"(no traced call)\" on the client side: the client was not inside a traced function (a page fault outside malloc, a request of its own); on the server side: it allocated nothing traced.\n\n");
            sb.Append("| client | traced calls in progress | message | server | handler | requests | bytes |\n|---|---|---|---|---|---:|---:|\n");
            foreach (TopologyEdge e in ipc)
            {
                sb.Append($"| {e.Process} | {Code(e.From)} | {e.Message} | {e.ToProcess} | {Code(e.To)} | {N(e.Calls)} | {N(e.Bytes)} |\n");
            }
            sb.Append("\n### Served requests\n\nServer allocations by the request handler they ran under.\n\n| server | handler | allocator | calls | bytes |\n|---|---|---|---:|---:|\n");
            foreach (TopologyEdge e in r.Edges.Where(e => e.Kind == "serves").OrderBy(e => e.Process, StringComparer.Ordinal).ThenByDescending(e => e.Calls))
            {
                sb.Append($"| {e.Process} | {Code(e.From)} | {Code(e.To)} | {N(e.Calls)} | {N(e.Bytes)} |\n");
            }
            sb.Append('\n');
        }
        sb.Append("### Inside processes\n\nCaller -> allocator (`->`) and allocator => nested allocator, backend or lock (`=>`).\n\n| process | edge | calls | bytes |\n|---|---|---:|---:|\n");
        foreach (TopologyEdge e in r.Edges.Where(e => e.Kind is "call" or "nested"))
        {
            sb.Append($"| {e.Process} | {Code($"{e.From} {(e.Kind == "nested" ? "=>" : "->")} {e.To}")} | {N(e.Calls)} | {N(e.Bytes)} |\n");
        }
        sb.Append('\n');
    }

    private static void Allocators(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("## Allocators\n\nPer allocator function (all images that have it): calls, callers, callees, sizes, lifetimes and threading.\n\n");
        foreach (var group in r.Allocators.GroupBy(a => (a.Name, a.Family, a.Role)).OrderByDescending(g => g.Sum(a => a.Calls)))
        {
            var list = group.OrderByDescending(a => a.Calls).ToList();
            sb.Append($"### `{group.Key.Name}` ({group.Key.Family}, {group.Key.Role})\n\n");
            sb.Append("| image | calls | outermost | bytes | sizes min / median / mean / max | top sizes | lifetimes | threading |\n|---|---:|---:|---:|---|---|---|---|\n");
            foreach (AllocatorStats a in list)
            {
                AllocationPattern? p = r.AllocationPatterns.FirstOrDefault(x => x.Allocator == a.Name && x.Image == a.Image);
                string dist = p is null || a.Bytes == 0 ? "" : $"{N(p.SizeDistribution.Min)} / {N(p.SizeDistribution.Median)} / {p.SizeDistribution.Mean.ToString("0", CultureInfo.InvariantCulture)} / {N(p.SizeDistribution.Max)}";
                string released = a.Releases > 0 ? $" (and {N(a.Releases)} calls giving back {N(a.BytesReleased)})" : "";
                sb.Append($"| {a.Image} | {N(a.Calls)} | {N(a.OutermostCalls)} | {N(a.Bytes)}{released} | {dist} "
                    + $"| {string.Join(", ", a.TopSizes.Select(s => $"{N(s.Size)}×{N(s.Count)}"))} | {string.Join(", ", a.Lifetimes.Select(kv => $"{kv.Key} {N(kv.Value)}"))} | {a.ThreadingModel} |\n");
            }
            Sites(sb, "Callers", list.SelectMany(a => a.Callers.Select(c => (a.Image, c))));
            Sites(sb, "Callees", list.SelectMany(a => a.Callees.Select(c => (a.Image, c))));
            var histogram = new SortedDictionary<ulong, long>();
            foreach (AllocatorStats a in list)
            {
                foreach (var (bucket, count) in a.SizeHistogram)
                {
                    ulong top = ulong.Parse(bucket.AsSpan(2), CultureInfo.InvariantCulture);
                    histogram[top] = histogram.GetValueOrDefault(top) + count;
                }
            }
            if (histogram.Count > 0)
            {
                sb.Append($"\nSizes (power-of-two buckets, all images): {string.Join(", ", histogram.Select(kv => $"≤{N(kv.Key)}: {N(kv.Value)}"))}.\n");
            }
            sb.Append('\n');
        }
    }

    private static void Sites(StringBuilder sb, string what, IEnumerable<(string Image, SiteCount Site)> sites)
    {
        var all = sites.OrderByDescending(x => x.Site.Calls).ThenBy(x => x.Image, StringComparer.Ordinal).ThenBy(x => x.Site.Site, StringComparer.Ordinal).ToList();
        if (all.Count == 0)
        {
            return;
        }
        sb.Append($"\n{what}: {string.Join(", ", all.Take(MaxRows).Select(x => $"{Code(x.Site.Site)} in {x.Image} {N(x.Site.Calls)}" + (x.Site.Bytes > 0 ? $" ({B(x.Site.Bytes)})" : "")))}"
            + (all.Count > MaxRows ? $", and {all.Count - MaxRows} more" : "") + ".\n");
    }

    private static void Features(StringBuilder sb, AnalysisReport r)
    {
        FeatureStats f = r.Features;
        sb.Append("## Feature variations\n\n");
        sb.Append($"- **Zeroing (calloc):** {Calls(f.Zeroing.Calls)} for {B(f.Zeroing.Bytes)} of zeroed memory.\n");
        if (f.Alignment.Count == 0)
        {
            sb.Append("- **Alignment (memalign, valloc, posix_memalign):** no calls traced.\n");
        }
        foreach (AlignmentUse a in f.Alignment)
        {
            sb.Append($"- **Alignment ({a.Allocator}):** {Calls(a.Calls)}, alignments asked {string.Join(", ", a.Alignments.Select(kv => $"{N(kv.Key)} B ×{N(kv.Value)}"))}; {N(a.Misaligned)} results misaligned.\n");
        }
        ReallocUse u = f.Realloc;
        sb.Append($"- **Realloc:** {Calls(u.Calls)} (outermost): {N(u.Grew)} grew a block (by {B(u.BytesGrown)} in all), {N(u.Shrank)} shrank one, {N(u.Same)} kept its size; "
            + $"{N(u.InPlace)} in place, {N(u.Moved)} moved; {N(u.FromNull)} were realloc(NULL, n), {N(u.ToZero)} realloc(p, 0), {N(u.UnknownBlock)} on blocks the trace had not seen allocated.\n\n");
    }

    private static void Redundancy(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("## Redundancy factor\n\n");
        sb.Append($"**{F(r.Redundancy.ByCalls)} by calls, {F(r.Redundancy.ByBytes)} by bytes.** Definition: {r.Redundancy.Definition}\n\n");
        sb.Append("| process | families (outermost allocating calls, bytes) |\n|---|---|\n");
        foreach (ProcessFamilies p in r.Redundancy.Processes.OrderByDescending(p => p.Families.Sum(f => f.Calls)))
        {
            sb.Append($"| {p.Process} | {string.Join("; ", p.Families.OrderByDescending(f => f.Calls).Select(f => $"{f.Family}: {N(f.Calls)} calls, {B(f.Bytes)}"))} |\n");
        }
        sb.Append('\n');
    }

    private static void Messages(StringBuilder sb, AnalysisReport r)
    {
        if (r.Messages.Delivered == 0)
        {
            return;
        }
        sb.Append($"## Messages\n\n{N(r.Messages.Delivered)} messages delivered: {N(r.Messages.Requests)} requests (the receiver was waiting in RECEIVE) and {N(r.Messages.Replies)} replies (it was waiting in SENDREC). The busiest flows:\n\n");
        sb.Append("| from | to | message | requests | replies |\n|---|---|---|---:|---:|\n");
        foreach (MessageFlow m in r.Messages.Busiest)
        {
            sb.Append($"| {m.From} | {m.To} | {m.Message} | {N(m.Requests)} | {N(m.Replies)} |\n");
        }
        sb.Append('\n');
    }

    private static void LeaksAndAnomalies(StringBuilder sb, AnalysisReport r)
    {
        sb.Append($"## Leaks and anomalies\n\n{N(r.Leaks.Count)} blocks were still allocated at the end ({B(r.Live.FinalBytes)}): for a boot, mostly memory a server keeps for its lifetime. ");
        var byAllocator = r.Leaks.GroupBy(l => (l.Process, l.Allocator)).OrderByDescending(g => g.Count()).Take(10).ToList();
        if (byAllocator.Count > 0)
        {
            sb.Append($"Most: {string.Join(", ", byAllocator.Select(g => $"{g.Key.Process} {g.Key.Allocator} {N(g.Count())} ({B(g.Aggregate(0UL, (a, l) => a + l.Size))})"))}.");
        }
        sb.Append($"\n\n{N(r.Anomalies.Count)} anomalies (double free, free of a block never seen allocated, free through another family).\n\n");
        foreach (var g in r.Anomalies.GroupBy(a => (a.Kind, a.Process, a.Function)).OrderByDescending(g => g.Count()).Take(MaxRows))
        {
            sb.Append($"- {g.Key.Kind} in {g.Key.Process}: {N(g.Count())} × `{g.Key.Function}`, e.g. {g.First().Detail}\n");
        }
        sb.Append('\n');
    }

    private static void Method(StringBuilder sb, AnalysisReport r)
    {
        sb.Append("## How this was measured\n\n");
        sb.Append("- Each profiled function is hooked at its entry by symbol; its return is seen when execution comes back to the return address with the stack above the entry's. "
            + "A traced call made inside another is nested in it (allocator => backend). Calls are attributed to the process running them.\n");
        sb.Append("- Sizes are bytes as the profile's expressions compute them from the arguments (see the README's profile table); "
            + "\"bytes\" of an allocator sums the sizes of its allocating calls, frees excluded, sbrk(-n) counted apart as memory given back.\n");
        sb.Append($"- Lifetimes pair outermost allocations and frees by process and pointer: {r.Thresholds.Rule} (Immediate: within {N(r.Thresholds.ImmediateTicks)} guest ticks).\n");
        sb.Append("- Cross-process edges: on a MINIX kernel the tracer records every message the kernel delivers (sender endpoint, type) and whether the receiver was waiting for a request (RECEIVE) or a reply (SENDREC); "
            + "a server's calls between a request and its next one serve that request. Exact for single-threaded servers (VM, PM, MFS, DS); VFS runs worker threads in one process, so there a call is attributed to the last request VFS received.\n");
    }

    private static string Calls(long n) => n == 1 ? "1 call" : $"{N(n)} calls";

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ');

    private static string N(ulong v) => v.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ');

    private static string B(ulong v) => v >= 1 << 20 ? $"{N(v)} B ({(v / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB)"
        : v >= 1 << 10 ? $"{N(v)} B ({(v / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} KiB)" : $"{N(v)} B";

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Pct(long part, long whole) => whole == 0 ? "0 %" : $"{(100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture)} %";

    private static string Code(string s) => s.Length == 0 ? "(no traced call)" : $"`{s}`";
}
