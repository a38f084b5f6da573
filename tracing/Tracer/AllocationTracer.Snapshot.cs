using Minix318Emu.Emulator.Snapshots;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Tracer;

/// <summary>
/// The tracer's position in a machine snapshot (section "tracer"): the id counters, the processes
/// it has named (defined again at the top of a resumed trace), the calls in progress with their
/// return watches, the MINIX process table as learnt so far, the IPC deliveries in flight and
/// the live-heap counters. A trace resumed from it continues with the records the uninterrupted
/// trace has after the save point, with the same ids. The traced images must be the same files.
/// </summary>
public sealed partial class AllocationTracer : ISnapshotState
{
    /// <summary>Calls and messages the trace before the snapshot this tracer resumed from had written (0 without one).</summary>
    public (long Calls, long Messages) WrittenBeforeResume { get; private set; }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        if (_finished)
        {
            throw s.Corrupt("the trace is already finished");
        }
        SyncImages(s);
        WrittenBeforeResume = (s.I64(WrittenBeforeResume.Calls + _writer.Calls), s.I64(WrittenBeforeResume.Messages + _writer.Messages));
        Enabled = s.Bool(Enabled);
        _nextId = s.I64(_nextId);
        _nextIpcId = s.I64(_nextIpcId);
        _nextDeliveryToken = s.I64(_nextDeliveryToken);
        _liveBytes = s.U64(_liveBytes);
        SyncLive(s);
        SyncProcesses(s);
        SyncIpc(s);
        SyncPending(s);
        SyncReturnWatches(s);
        if (s.Bool(Minix is not null) != (Minix is not null))
        {
            throw s.Corrupt("the kernel was a MINIX kernel on one side only");
        }
        Minix?.SyncState(s);
        Diagnostics.SyncState(s);
        s.Check(0x7EACE5);
        if (s.Loading)
        {
            foreach (TraceProcess p in _definedProcesses)
            {
                _writer.Define(p); // the resumed trace names every process its records can refer to
            }
        }
    }

    private void SyncImages(StateSync s)
    {
        int n = s.Count(_images.Count, 4096, "traced images");
        if (n != _images.Count)
        {
            throw s.Corrupt($"{n} images were traced, {_images.Count} are traced here");
        }
        foreach (TracedImage i in _images)
        {
            string name = s.Str(i.Name), sha = s.Str(i.Sha256);
            if (name != i.Name || sha != i.Sha256)
            {
                throw s.Corrupt($"image {name} (sha256 {sha[..Math.Min(16, sha.Length)]}...) was traced, here it is {i.Name} (sha256 {i.Sha256[..16]}...)");
            }
        }
    }

    private int ImageIndex(TracedImage? image) => image is null ? -1 : _images.ToList().IndexOf(image);

    private TracedImage? ImageAt(StateSync s, int index) =>
        index == -1 ? null : (uint)index < (uint)_images.Count ? _images[index] : throw s.Corrupt($"image {index} does not exist");

    private void SyncLive(StateSync s)
    {
        var live = _live.OrderBy(e => e.Key).ToList();
        int n = s.Count(live.Count, 1 << 24, "live blocks");
        if (s.Loading)
        {
            _live.Clear();
        }
        for (int i = 0; i < n; i++)
        {
            var ((process, pointer), size) = s.Loading ? default : live[i];
            process = s.I32(process);
            pointer = s.U32(pointer);
            size = s.U64(size);
            _live[(process, pointer)] = size;
        }
    }

    private void SyncProcesses(StateSync s)
    {
        int defined = s.Count(_definedProcesses.Count, 1 << 20, "processes");
        if (s.Loading)
        {
            _definedProcesses.Clear();
            _imageProcesses.Clear();
            _minixProcesses.Clear();
            _pendingByProcess.Clear();
            _serving.Clear();
        }
        for (int i = 0; i < defined; i++)
        {
            TraceProcess? p = s.Loading ? null : _definedProcesses[i];
            int id = s.I32(p?.Id ?? 0);
            string name = s.Str(p?.Name ?? "");
            uint cr3 = s.U32(p?.Cr3 ?? 0);
            bool hasEndpoint = s.Bool(p?.Endpoint is not null);
            int endpoint = s.I32(p?.Endpoint ?? 0);
            if (s.Loading)
            {
                _definedProcesses.Add(new TraceProcess(id, name, cr3, hasEndpoint ? endpoint : null));
            }
        }
        var images = _imageProcesses.OrderBy(e => e.Value.Id).ToList();
        int ni = s.Count(images.Count, 1 << 20, "image processes");
        for (int i = 0; i < ni; i++)
        {
            int id = s.I32(s.Loading ? 0 : images[i].Value.Id);
            if (s.Loading)
            {
                TraceProcess p = _definedProcesses.Find(d => d.Id == id) ?? throw s.Corrupt($"image process {id} was never defined");
                _imageProcesses[(p.Name, p.Cr3)] = p;
            }
        }
        var minix = _minixProcesses.OrderBy(e => e.Value).ToList();
        int nm = s.Count(minix.Count, 1 << 20, "MINIX processes");
        for (int i = 0; i < nm; i++)
        {
            var ((endpoint, lo, hi), id) = s.Loading ? default : minix[i];
            endpoint = s.I32(endpoint);
            lo = s.U64(lo);
            hi = s.U64(hi);
            id = s.I32(id);
            _minixProcesses[(endpoint, lo, hi)] = id;
        }
        int count = s.Count(_pendingByProcess.Count, 1 << 20, "process ids");
        for (int i = 0; i < count; i++)
        {
            long serving = s.I64(s.Loading ? 0 : _serving[i]);
            if (s.Loading)
            {
                _pendingByProcess.Add(new List<Pending>());
                _serving.Add(serving);
            }
        }
        int lastImage = s.I32(ImageIndex(_lastProcess.Image));
        _lastProcess = (ImageAt(s, lastImage), s.U32(_lastProcess.Cr3), s.I32(_lastProcess.Id));
        _lastMinix = (s.I32(_lastMinix.Index), s.I32(_lastMinix.Endpoint), s.U64(_lastMinix.NameLo), s.U64(_lastMinix.NameHi), s.I32(_lastMinix.Id));
        int checkedImage = s.I32(ImageIndex(_lastNameCheck.Image));
        _lastNameCheck = (s.I32(_lastNameCheck.Id), ImageAt(s, checkedImage));
        var names = _namesChecked.Select(n => (n.Item1, ImageIndex(n.Item2))).Order().ToList();
        int nn = s.Count(names.Count, 1 << 20, "checked names");
        if (s.Loading)
        {
            _namesChecked.Clear();
        }
        for (int i = 0; i < nn; i++)
        {
            var (id, image) = s.Loading ? default : names[i];
            id = s.I32(id);
            image = s.I32(image);
            _namesChecked.Add((id, ImageAt(s, image) ?? throw s.Corrupt("a checked name without an image")));
        }
    }

    private void SyncIpc(StateSync s)
    {
        int slots = s.Count(_awaiting.Length, 1 << 16, "IPC slots");
        if (s.Loading)
        {
            _awaiting = new (int, IpcKind, bool)[slots];
        }
        for (int i = 0; i < slots; i++)
        {
            _awaiting[i] = (s.I32(_awaiting[i].Endpoint), s.Enum(_awaiting[i].Kind), s.Bool(_awaiting[i].Known));
        }
        var deliveries = _deliveries.OrderBy(d => d.Key).ToList();
        int n = s.Count(deliveries.Count, 1 << 16, "deliveries");
        if (s.Loading)
        {
            _deliveries.Clear();
        }
        for (int i = 0; i < n; i++)
        {
            var (token, d) = s.Loading ? default : deliveries[i];
            token = s.I64(token);
            _deliveries[token] = new PendingDelivery(s.I32(d.Index), s.I32(d.SourceEndpoint), s.U32(d.MessageType), s.U64(d.Time));
        }
    }

    private void SyncPending(StateSync s)
    {
        var pending = _pending.Values.OrderBy(p => p.Id).ToList();
        int n = s.Count(pending.Count, 1 << 20, "calls in progress");
        if (s.Loading)
        {
            _pending.Clear();
        }
        for (int i = 0; i < n; i++)
        {
            Pending? p = s.Loading ? null : pending[i];
            long id = s.I64(p?.Id ?? 0), parent = s.I64(p?.Parent ?? 0), request = s.I64(p?.Request ?? 0);
            uint address = s.U32(p?.Binding.Address ?? 0);
            int function = s.I32(p?.Binding.FunctionId ?? 0);
            Binding binding = s.Loading
                ? (_hooks.TryGetValue(address, out var list) ? list.Find(b => b.FunctionId == function) : null)
                    ?? throw s.Corrupt($"no traced function {function} at 0x{address:x8}")
                : p!.Binding;
            int process = s.I32(p?.Process ?? 0);
            ulong entry = s.U64(p?.Entry ?? 0), size = s.U64(p?.Size ?? 0);
            bool negative = s.Bool(p?.Negative ?? false);
            uint pointer = s.U32(p?.Pointer ?? 0);
            TraceFrame caller = SyncFrame(s, p?.Caller ?? default);
            int depth = s.Count(p?.Stack.Length ?? 0, MaxStackDepth, "stack frames");
            var frames = new TraceFrame[depth];
            for (int f = 0; f < depth; f++)
            {
                frames[f] = SyncFrame(s, p?.Stack[f] ?? default);
            }
            int argc = s.Count(p?.ArgCount ?? 0, 4, "arguments");
            Arguments args = p?.Args ?? default;
            Span<uint> a = args;
            for (int k = 0; k < argc; k++)
            {
                a[k] = s.U32(a[k]);
            }
            if (s.Loading)
            {
                _pending[id] = new Pending(id, parent, binding, process, entry, size, negative, pointer, caller, _stacks.Intern(frames), request)
                {
                    Args = args,
                    ArgCount = argc,
                };
            }
        }
        for (int process = 0; process < _pendingByProcess.Count; process++)
        {
            List<Pending> stack = _pendingByProcess[process];
            int depth = s.Count(stack.Count, 1 << 20, "a process's calls in progress");
            if (s.Loading)
            {
                stack.Clear();
            }
            for (int i = 0; i < depth; i++)
            {
                long id = s.I64(s.Loading ? 0 : stack[i].Id);
                if (s.Loading)
                {
                    stack.Add(_pending.GetValueOrDefault(id) ?? throw s.Corrupt($"call {id} is on a stack but not in progress"));
                }
            }
        }
    }

    private static TraceFrame SyncFrame(StateSync s, TraceFrame f) => new(s.U32(f.Address), s.Str(f.Symbol ?? ""), s.Str(f.Function ?? ""));

    private void SyncReturnWatches(StateSync s)
    {
        var mine = s.Loading ? [] : _machine.Cpu.ReturnWatches
            .Where(w => ReferenceEquals(w.OnReturn, _onReturn) || ReferenceEquals(w.OnReturn, _onDeliveryReturn)).ToList();
        int n = s.Count(mine.Count, 1 << 20, "return watches");
        for (int i = 0; i < n; i++)
        {
            var w = s.Loading ? default : mine[i];
            bool delivery = s.Bool(ReferenceEquals(w.OnReturn, _onDeliveryReturn));
            uint linear = s.U32(w.ReturnLinear), esp = s.U32(w.EntryEsp), cr3 = s.U32(w.Cr3);
            long token = s.I64(w.Token);
            if (s.Loading)
            {
                _machine.Cpu.RestoreReturnWatch(linear, esp, cr3, token, delivery ? _onDeliveryReturn : _onReturn);
            }
        }
    }
}
