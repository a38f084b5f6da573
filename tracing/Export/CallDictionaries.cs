using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Model;

namespace Minix318Emu.Tracing.Export;

/// <summary>
/// The calls table's dictionaries. A call's process, function and caller each stand for
/// several columns (process: id, name, endpoint, CR3; function: name, family, role, image;
/// caller: symbol, address), so each is one dictionary index per call, and the columns are
/// dictionary pages over the same indices: no string is looked at per call.
/// </summary>
internal sealed class CallDictionaries
{
    private readonly int[] _functionIndex;
    private readonly int[] _processIndex;
    private readonly Dictionary<TraceFrame, int> _callers = new(new CallerComparer());
    private TraceFrame _lastCaller;
    private int _lastCallerIndex = -1;

    public CallDictionaries(TraceFile trace)
    {
        _functionIndex = new int[trace.Functions.Count == 0 ? 0 : trace.Functions.Keys.Max() + 1];
        foreach (TraceFunction f in trace.Functions.Values.OrderBy(f => f.Id))
        {
            _functionIndex[f.Id] = Functions.Count;
            Functions.Add(f.Name);
            Families.Add(f.Family);
            Roles.Add(f.Role.ToString());
            Images.Add(f.Image);
        }
        _processIndex = new int[trace.Processes.Count == 0 ? 0 : trace.Processes.Keys.Max() + 1];
        foreach (TraceProcess p in trace.Processes.Values.OrderBy(p => p.Id))
        {
            _processIndex[p.Id] = ProcessIds.Count;
            ProcessIds.Add(p.Id);
            ProcessNames.Add(p.Name);
            Endpoints.Add(p.Endpoint ?? -1);
            Cr3s.Add((long)p.Cr3);
        }
    }

    public PlainValues Functions { get; } = new();
    public PlainValues Families { get; } = new();
    public PlainValues Roles { get; } = new();
    public PlainValues Images { get; } = new();
    public PlainValues ProcessIds { get; } = new();
    public PlainValues ProcessNames { get; } = new();
    public PlainValues Endpoints { get; } = new();
    public PlainValues Cr3s { get; } = new();

    /// <summary>Callers in order of first use: the symbol (the address in hex when unknown) and the address.</summary>
    public PlainValues CallerSymbols { get; } = new();
    public PlainValues CallerAddresses { get; } = new();

    public int Function(int id) => _functionIndex[id];

    public int Process(int id) => _processIndex[id];

    /// <summary>The caller's index, new if unseen (calls from one site follow each other, so the last one is kept at hand).</summary>
    public int Caller(TraceFrame f)
    {
        if (f.Address == _lastCaller.Address && ReferenceEquals(f.Symbol, _lastCaller.Symbol) && _lastCallerIndex >= 0)
        {
            return _lastCallerIndex;
        }
        if (!_callers.TryGetValue(f, out int i))
        {
            i = CallerSymbols.Count;
            _callers[f] = i;
            CallerSymbols.Add(f.Symbol.Length > 0 ? f.Symbol : $"0x{f.Address:x8}");
            CallerAddresses.Add((long)f.Address);
        }
        _lastCaller = f;
        _lastCallerIndex = i;
        return i;
    }

    /// <summary>Callers are equal when address and symbol are (the symbol strings are shared, so the address is the hash).</summary>
    private sealed class CallerComparer : IEqualityComparer<TraceFrame>
    {
        public bool Equals(TraceFrame x, TraceFrame y) => x.Address == y.Address && string.Equals(x.Symbol, y.Symbol, StringComparison.Ordinal);

        public int GetHashCode(TraceFrame f) => (int)f.Address;
    }
}
