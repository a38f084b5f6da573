using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Minix;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// Cross-process edges from the delivered messages: each traced call made while its process
/// served a request (<see cref="TraceCall.Request"/>) belongs to that request. The server's
/// handler is the function its main loop called (the frame just inside main on the call's
/// stack; the outermost frame when the stack does not reach main, as in VFS's worker
/// threads). A request gives an "ipc" edge when the server did traced work for it or the
/// client had a traced call in progress when it was delivered.
/// </summary>
public static partial class TraceAnalyzer
{
    private static List<TopologyEdge> IpcEdges(TraceFile t, TraceFunction?[] fns, Func<long, TraceCall?> find)
    {
        var edges = new List<TopologyEdge>();
        if (t.Messages.Count == 0)
        {
            return edges;
        }
        var served = new Dictionary<long, (string Handler, ulong Bytes)>();
        var serves = new Dictionary<(string Process, string Handler, string Allocator), (long Calls, ulong Bytes)>();
        foreach (TraceCall c in t.Calls)
        {
            if (c.Request < 0 || find(c.Parent) is not null)
            {
                continue;
            }
            TraceFunction f = fns[c.Function]!;
            ulong bytes = f.Role.Allocates() && !c.Negative ? c.Size : 0;
            string handler = Handler(c);
            served[c.Request] = served.TryGetValue(c.Request, out var sv) ? (sv.Handler, sv.Bytes + bytes) : (handler, bytes);
            var key = (t.Processes[c.Process].Name, handler, f.Name);
            var v = serves.GetValueOrDefault(key);
            serves[key] = (v.Calls + 1, v.Bytes + bytes);
        }
        var ipc = new Dictionary<(string Client, string Chain, string Server, string Handler, uint Type), (long Calls, ulong Bytes)>();
        foreach (TraceIpc m in t.Messages)
        {
            if (m.Kind != IpcKind.Request)
            {
                continue;
            }
            bool didWork = served.TryGetValue(m.Id, out var work);
            string chain = Chain(m.SenderCall, fns, find);
            if (!didWork && chain.Length == 0)
            {
                continue; // neither side allocated: not part of the allocation topology
            }
            string client = m.Sender >= 0 ? t.Processes[m.Sender].Name : $"endpoint {m.SenderEndpoint}";
            var key = (client, chain, t.Processes[m.Receiver].Name, didWork ? work.Handler : "", m.MessageType);
            var v = ipc.GetValueOrDefault(key);
            ipc[key] = (v.Calls + 1, v.Bytes + work.Bytes);
        }
        foreach (var ((client, chain, server, handler, type), (calls, bytes)) in ipc)
        {
            edges.Add(new TopologyEdge(client, chain, handler, "ipc", calls, bytes) { ToProcess = server, Message = MinixMessageNames.Describe(type) });
        }
        foreach (var ((process, handler, allocator), (calls, bytes)) in serves)
        {
            edges.Add(new TopologyEdge(process, handler, allocator, "serves", calls, bytes));
        }
        return edges;
    }

    /// <summary>The request handler a server call runs under: the function main called, else the outermost frame.</summary>
    private static string Handler(TraceCall c)
    {
        for (int j = 0; j < c.Stack.Length; j++)
        {
            if (c.Stack[j].Function == "main")
            {
                return j == 0 ? "main" : c.Stack[j - 1].Function;
            }
        }
        return c.Stack.Length > 0 ? c.Stack[^1].Function : c.Caller.Function;
    }

    /// <summary>"malloc => sbrk => brk": the traced calls in progress, outermost first, ending with <paramref name="innermost"/>; empty for -1.</summary>
    private static string Chain(long innermost, TraceFunction?[] fns, Func<long, TraceCall?> find)
    {
        var names = new List<string>();
        for (TraceCall? c = find(innermost); c is not null; c = find(c.Parent))
        {
            names.Add(fns[c.Function]!.Name);
        }
        names.Reverse();
        return string.Join(" => ", names);
    }

    private static MessageStats Messages(TraceFile t)
    {
        var flows = new Dictionary<(string From, string To, uint Type), (long Requests, long Replies)>();
        long requests = 0;
        foreach (TraceIpc m in t.Messages)
        {
            bool request = m.Kind == IpcKind.Request;
            requests += request ? 1 : 0;
            var key = (m.Sender >= 0 ? t.Processes[m.Sender].Name : $"endpoint {m.SenderEndpoint}", t.Processes[m.Receiver].Name, m.MessageType);
            var v = flows.GetValueOrDefault(key);
            flows[key] = request ? (v.Requests + 1, v.Replies) : (v.Requests, v.Replies + 1);
        }
        List<MessageFlow> busiest = flows.OrderByDescending(kv => kv.Value.Requests + kv.Value.Replies)
            .ThenBy(kv => kv.Key.From, StringComparer.Ordinal).ThenBy(kv => kv.Key.To, StringComparer.Ordinal).ThenBy(kv => kv.Key.Type)
            .Take(MaxFlows)
            .Select(kv => new MessageFlow(kv.Key.From, kv.Key.To, MinixMessageNames.Describe(kv.Key.Type), kv.Value.Requests, kv.Value.Replies)).ToList();
        return new MessageStats(t.Messages.Count, requests, t.Messages.Count - requests, busiest);
    }

    /// <summary>How many (sender, receiver, type) flows the report lists.</summary>
    private const int MaxFlows = 40;
}
