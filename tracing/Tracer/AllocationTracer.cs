using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Tracing.Format;
using Minix318Emu.Tracing.Minix;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Profiles;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Tracer;

/// <summary>
/// Hooks the entry of every profiled function by symbol on the CPU's execution hooks (nothing
/// is checked where no hook is set), records arguments, caller and a frame-pointer stack, and
/// watches for the return to record the result. User programs share virtual addresses, so a
/// user hook is attributed to a program only after the code bytes at the hook, and a
/// signature of the program (its main), are found in the running address space. Calls nested
/// inside a traced call name it as their parent. On a MINIX kernel the processes are MINIX's
/// own (AllocationTracer.Processes.cs) and the kernel's message deliveries are recorded
/// (AllocationTracer.Ipc.cs).
/// </summary>
public sealed partial class AllocationTracer : IDisposable
{
    /// <summary>Deepest frame-pointer walk; the walk also stops at a frame that does not read back.</summary>
    public const int MaxStackDepth = 16;

    private readonly PcMachine _machine;
    private readonly TraceWriter _writer;
    private readonly IReadOnlyList<TracedImage> _images;
    private readonly Dictionary<uint, List<Binding>> _hooks = new();
    private readonly List<TraceFunction> _functions = new();
    private readonly Dictionary<long, Pending> _pending = new();
    private readonly List<HookRegistration> _registrations = new();
    private long _nextId;
    private bool _finished;

    private sealed record Binding(TracedImage Image, string? ProcessName, FunctionProfile Profile, int FunctionId, uint Address, ValueExpression? Size, ValueExpression? Pointer);

    /// <summary>A call between its entry and its return (one object per call: its arguments are kept inline).</summary>
    private sealed class Pending(long id, long parent, Binding binding, int process, ulong entry, ulong size, bool negative, uint pointer,
        TraceFrame caller, TraceFrame[] stack, long request)
    {
        public readonly long Id = id, Parent = parent, Request = request;
        public readonly Binding Binding = binding;
        public readonly int Process = process;
        public readonly ulong Entry = entry, Size = size;
        public readonly bool Negative = negative;
        public readonly uint Pointer = pointer;
        public readonly TraceFrame Caller = caller;
        public readonly TraceFrame[] Stack = stack;
        public Arguments Args;
        public int ArgCount;
    }

    /// <summary>Up to four recorded arguments, inline.</summary>
    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct Arguments
    {
        private uint _first;
    }

    private readonly Action<long> _onReturn;

    /// <summary>Attaches to <paramref name="machine"/> and writes calls to <paramref name="writer"/>.</summary>
    public AllocationTracer(PcMachine machine, AllocatorProfile profile, IReadOnlyList<TracedImage> images, TraceWriter writer)
    {
        _machine = machine;
        _writer = writer;
        _images = images;
        _onReturn = OnReturn; // one delegate for every watched return (a method group would allocate one per call)
        _onDeliveryReturn = OnDeliveryReturn;
        TracedImage? kernel = images.FirstOrDefault(i => i.Scope == ImageScope.Kernel);
        Minix = kernel is null ? null : MinixProcessTable.TryCreate(kernel, out _);
        Dictionary<TracedImage, string> processNames = BootModuleNames(images);
        var missing = new List<string>();
        // Candidates first: where two entries name the same function of an image, the one whose
        // Images filter matches that image wins over an unfiltered one.
        var chosen = new Dictionary<(TracedImage Image, uint Address), FunctionProfile>();
        foreach (FunctionProfile fp in profile.Functions)
        {
            var scope = fp.Scope == "user" ? ImageScope.User : ImageScope.Kernel;
            foreach (TracedImage image in images)
            {
                if (image.Scope != scope || !fp.AppliesTo(image.Name, processNames.GetValueOrDefault(image)) || !TryResolve(image, fp, out uint address))
                {
                    continue;
                }
                if (!chosen.TryGetValue((image, address), out FunctionProfile? other) || (other.Images.Count == 0 && fp.Images.Count > 0))
                {
                    chosen[(image, address)] = fp;
                }
            }
        }
        foreach (FunctionProfile fp in profile.Functions)
        {
            bool found = false;
            foreach (var ((image, address), winner) in chosen)
            {
                if (!ReferenceEquals(winner, fp))
                {
                    continue;
                }
                found = true;
                int id = _functions.Count;
                var f = new TraceFunction(id, fp.Symbol, fp.Role, fp.Family, image.Name, address);
                _functions.Add(f);
                writer.Define(f);
                ValueExpression? size = fp.Size.Length > 0 && ValueExpression.TryParse(fp.Size, out var s) ? s : null;
                ValueExpression? ptr = fp.Pointer.Length > 0 && ValueExpression.TryParse(fp.Pointer, out var p) ? p : null;
                if (!_hooks.TryGetValue(address, out var list))
                {
                    _hooks[address] = list = new List<Binding>();
                }
                list.Add(new Binding(image, processNames.GetValueOrDefault(image), fp, id, address, size, ptr));
            }
            // An entry filtered to images of which none is traced is not missing: it does not apply.
            bool applies = fp.Images.Count == 0 || images.Any(i => fp.AppliesTo(i.Name, processNames.GetValueOrDefault(i)));
            if (!found && applies && !chosen.Keys.Any(k => fp.AppliesTo(k.Image.Name, processNames.GetValueOrDefault(k.Image)) && TryResolve(k.Image, fp, out _)))
            {
                missing.Add($"{fp.Symbol} ({fp.Scope}{(fp.Images.Count > 0 ? ", images " + string.Join(",", fp.Images) : "")})");
            }
        }
        MissingSymbols = missing;
        Cpu cpu = machine.Cpu;
        foreach ((uint address, List<Binding> bindings) in _hooks)
        {
            _registrations.Add(cpu.Hooks.Add(address, "tracer", _ =>
            {
                OnEntry(bindings);
                return false; // observe, never stop
            }));
        }
        if (Minix is not null && kernel is not null)
        {
            AttachIpc(kernel, cpu);
        }
    }

    /// <summary>
    /// The MINIX process name of each boot module image: MINIX gives the i-th module the i-th
    /// boot process of its image table, so the user images, in the order they were loaded as
    /// modules, take those names (images past the modules, such as --symbols files, get none).
    /// </summary>
    private Dictionary<TracedImage, string> BootModuleNames(IReadOnlyList<TracedImage> images)
    {
        var names = new Dictionary<TracedImage, string>();
        if (Minix is null)
        {
            return names;
        }
        using IEnumerator<string> boot = Minix.Boot.ModuleNames.GetEnumerator();
        foreach (TracedImage image in images.Where(i => i.Scope == ImageScope.User))
        {
            if (!boot.MoveNext())
            {
                break;
            }
            names[image] = boot.Current;
        }
        return names;
    }

    /// <summary>Whether calls are recorded (a debugger may switch tracing off and on; hooks stay in place).</summary>
    public bool Enabled { get; set; } = true;

    private readonly Dictionary<(int Process, uint Pointer), ulong> _live = new();

    /// <summary>Blocks allocated by outermost calls and not yet freed, and their bytes (the live heap as traced so far).</summary>
    public (int Blocks, ulong Bytes) LiveHeap => (_live.Count, _liveBytes);

    private ulong _liveBytes;

    /// <summary>The monitor command for a debugger: "trace on", "trace off", "trace status".</summary>
    public string? Monitor(string command)
    {
        string[] w = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (w.Length == 0 || w[0] != "trace")
        {
            return null;
        }
        switch (w.Length > 1 ? w[1] : "status")
        {
            case "on":
                Enabled = true;
                return "allocation tracing on\n";
            case "off":
                Enabled = false;
                return "allocation tracing off (calls in progress are still completed)\n";
            default:
                var (blocks, bytes) = LiveHeap;
                return $"allocation tracing {(Enabled ? "on" : "off")}: {Calls} calls recorded, {_pending.Count} in progress; live heap {blocks} blocks, {bytes} bytes\n";
        }
    }

    /// <summary>Profile functions found in no image (reported, not fatal).</summary>
    public IReadOnlyList<string> MissingSymbols { get; }

    /// <summary>Calls recorded so far.</summary>
    public long Calls => _writer.Calls;

    private static bool TryResolve(TracedImage image, FunctionProfile fp, out uint address)
    {
        if (image.Symbols.TryFind(fp.Symbol, out address))
        {
            return true;
        }
        foreach (string alias in fp.Aliases)
        {
            if (image.Symbols.TryFind(alias, out address))
            {
                return true;
            }
        }
        return false;
    }

    // ---- entry ---------------------------------------------------------------------------

    private void OnEntry(List<Binding> bindings)
    {
        if (!Enabled)
        {
            return;
        }
        Cpu cpu = _machine.Cpu;
        Binding? binding = Choose(bindings, cpu);
        if (binding is null)
        {
            return;
        }
        uint esp = cpu.R[Reg.Esp];
        uint ret = ReadU32(cpu, esp);
        Arguments argBuffer = default;
        int argc = Math.Min(binding.Profile.Args, 4);
        Span<uint> args = ((Span<uint>)argBuffer)[..argc];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = binding.Profile.RegParm ? RegParm(cpu, i, esp) : ReadU32(cpu, esp + 4 + (uint)(4 * i));
        }
        int process = ProcessFor(binding, cpu);
        List<Pending> stack = PendingStack(process);
        long parent = stack.Count > 0 ? stack[^1].Id : -1;
        bool negative = false;
        ulong size = binding.Size is { } se ? Evaluate(se, args, cpu, out negative) : 0;
        uint ptr = binding.Pointer is { } pe ? (uint)Evaluate(pe, args, cpu, out _) : 0;
        TraceFrame[] frames = WalkStack(cpu, ret, binding); // frames[0] is the caller
        var p = new Pending(_nextId++, parent, binding, process, _machine.Clock.Now, size, negative, ptr, frames[0], frames, ServingRequest(process))
        {
            Args = argBuffer,
            ArgCount = argc,
        };
        stack.Add(p);
        _pending[p.Id] = p;
        cpu.WatchReturn(cpu.Seg[SegReg.Cs].Base + ret, esp, p.Id, _onReturn);
    }

    private static uint RegParm(Cpu cpu, int i, uint esp) => i switch
    {
        0 => cpu.R[Reg.Eax],
        1 => cpu.R[Reg.Edx],
        2 => cpu.R[Reg.Ecx],
        _ => ReadU32(cpu, esp + 4),
    };

    /// <summary>The binding at a hooked address for the code running now: kernel at CPL 0, else the user program whose code is mapped.</summary>
    private Binding? Choose(List<Binding> list, Cpu cpu)
    {
        foreach (Binding b in list)
        {
            if (b.Image.Scope == ImageScope.Kernel && cpu.Cpl == 0)
            {
                return b;
            }
        }
        foreach (Binding b in list)
        {
            if (b.Image.Scope == ImageScope.User && RunsImage(cpu, b.Image, b.Address))
            {
                return b;
            }
        }
        return null;
    }

    /// <summary>Whether the current address space runs <paramref name="image"/>: its code at the hook and its signature (main, or the entry point) are in memory.</summary>
    private bool RunsImage(Cpu cpu, TracedImage image, uint lin)
    {
        // The signature is checked on every hit: an address space may be reused by another program.
        (byte[] Code, uint Signature, byte[] SignatureCode) want = Expected(image, lin);
        Span<byte> have = stackalloc byte[SignatureBytes];
        return cpu.TryReadLinear(lin, have[..HookBytes]) && have[..HookBytes].SequenceEqual(want.Code)
            && cpu.TryReadLinear(want.Signature, have) && have.SequenceEqual(want.SignatureCode);
    }

    private const int HookBytes = 16, SignatureBytes = 32;

    private readonly Dictionary<(TracedImage, uint), (byte[], uint, byte[])> _expected = new();

    /// <summary>The image's code at a hook and at its signature, read from the file once per hook.</summary>
    private (byte[] Code, uint Signature, byte[] SignatureCode) Expected(TracedImage image, uint lin)
    {
        if (!_expected.TryGetValue((image, lin), out var e))
        {
            uint sig = image.Symbols.TryFind("main", out uint m) ? m : image.Elf.Entry;
            var code = new byte[HookBytes];
            var sigCode = new byte[SignatureBytes];
            // Code that is not in the file (it cannot be) never matches: an impossible signature.
            if (!image.TryGetBytes(lin, code) || !image.TryGetBytes(sig, sigCode))
            {
                code = new byte[HookBytes + 1];
            }
            _expected[(image, lin)] = e = (code, sig, sigCode);
        }
        return e;
    }

    private static uint ReadU32(Cpu cpu, uint lin) => cpu.TryPeek32(lin, out uint v) ? v : 0;

    /// <summary>Evaluates a value expression at a call's entry; <paramref name="negative"/> says a signed value was below zero (the magnitude is returned).</summary>
    private static ulong Evaluate(ValueExpression e, ReadOnlySpan<uint> args, Cpu cpu, out bool negative)
    {
        uint a0 = args.Length > 0 ? args[0] : 0, a1 = args.Length > 1 ? args[1] : 0, a2 = args.Length > 2 ? args[2] : 0, a3 = args.Length > 3 ? args[3] : 0;
        uint A(int i) => i switch { 0 => a0, 1 => a1, 2 => a2, _ => a3 };
        negative = false;
        switch (e.Kind)
        {
            case ValueExpression.Kinds.Arg: return A(e.Arg);
            case ValueExpression.Kinds.ArgTimesArg: return (ulong)A(e.Arg) * A(e.Arg2);
            case ValueExpression.Kinds.ArgTimesConst: return (ulong)A(e.Arg) * e.Constant;
            case ValueExpression.Kinds.MemAtArgPlus: return ReadU32(cpu, A(e.Arg) + e.Constant);
            case ValueExpression.Kinds.Result: return cpu.R[Reg.Eax];
            case ValueExpression.Kinds.OutPointer: return 0; // known only at the return
            case ValueExpression.Kinds.SignedArg:
                int v = (int)A(e.Arg);
                negative = v < 0;
                return (ulong)Math.Abs((long)v);
            default: return e.Constant;
        }
    }

    /// <summary>
    /// Return addresses from the entry's [ESP] up the EBP chain (the function's own prologue has
    /// not run yet, so EBP is its caller's frame). Best effort: stops at a zero, a frame below
    /// the last, an unreadable frame or the depth limit; it never faults the guest.
    /// </summary>
    private readonly TraceFrame[] _frameScratch = new TraceFrame[MaxStackDepth];
    private readonly Format.StackInterner _stacks = new();

    private TraceFrame[] WalkStack(Cpu cpu, uint ret, Binding b)
    {
        Span<TraceFrame> frames = _frameScratch;
        int n = 0;
        frames[n++] = Symbolize(ret, b);
        uint fp = cpu.R[Reg.Ebp];
        while (n < MaxStackDepth && fp != 0 && cpu.TryPeek32(fp, out uint next) && cpu.TryPeek32(fp + 4, out uint r))
        {
            if (r == 0)
            {
                break;
            }
            frames[n++] = Symbolize(r, b);
            if (next <= fp)
            {
                break;
            }
            fp = next;
        }
        return _stacks.Intern(frames[..n]); // the same stacks recur: share their arrays
    }

    private readonly Dictionary<(uint, TracedImage), TraceFrame> _frameCache = new();

    /// <summary>Names a code address (cached: the same return addresses recur on every call).</summary>
    private TraceFrame Symbolize(uint address, Binding b)
    {
        if (_frameCache.TryGetValue((address, b.Image), out TraceFrame cached))
        {
            return cached;
        }
        TraceFrame f = SymbolizeUncached(address, b);
        _frameCache[(address, b.Image)] = f;
        return f;
    }

    private TraceFrame SymbolizeUncached(uint address, Binding b)
    {
        if (b.Image.Symbols.Lookup(address) is { } s)
        {
            return TraceFrame.Of(address, s.Offset == 0 ? s.Name : $"{s.Name}+0x{s.Offset:x}");
        }
        foreach (TracedImage image in _images)
        {
            if (image != b.Image && image.Scope == ImageScope.Kernel && image.Symbols.Lookup(address) is { } k)
            {
                return TraceFrame.Of(address, k.Offset == 0 ? k.Name : $"{k.Name}+0x{k.Offset:x}");
            }
        }
        return TraceFrame.Of(address, "");
    }

    // ---- return --------------------------------------------------------------------------

    private void OnReturn(long id)
    {
        if (!_pending.Remove(id, out Pending? p))
        {
            return;
        }
        List<Pending> stack = PendingStack(p.Process);
        int at = stack.Count - 1;
        while (at >= 0 && stack[at].Id != id)
        {
            at--;
        }
        if (at >= 0)
        {
            // Deeper calls that never returned (a longjmp over them) are written as unreturned.
            for (int i = stack.Count - 1; i > at; i--)
            {
                Emit(stack[i], returned: false, result: 0);
                _pending.Remove(stack[i].Id);
            }
            stack.RemoveRange(at, stack.Count - at);
        }
        uint result = _machine.Cpu.R[Reg.Eax];
        Emit(p, returned: true, result);
    }

    private void Emit(Pending p, bool returned, uint result)
    {
        ReadOnlySpan<uint> args = ((ReadOnlySpan<uint>)p.Args)[..p.ArgCount];
        ulong size = p.Binding.Size switch
        {
            { Kind: ValueExpression.Kinds.Result } => result,
            { Kind: ValueExpression.Kinds.OutPointer } e when returned => ReadU32(_machine.Cpu, e.Arg < args.Length ? args[e.Arg] : 0),
            _ => p.Size,
        };
        _writer.WriteCall(p.Id, p.Parent, p.Binding.FunctionId, p.Process, p.Request, p.Entry, _machine.Clock.Now, returned, p.Negative,
            args, size, p.Pointer, result, p.Caller, p.Stack);
        if (p.Parent < 0 && returned && !p.Negative)
        {
            TrackLive(p.Binding.Profile.Role, p.Process, p.Pointer, result, size);
        }
    }

    /// <summary>Keeps the live-heap counters for the debugger's "trace status" (outermost calls, as the analyzer pairs them).</summary>
    private void TrackLive(AllocatorRole role, int process, uint pointer, uint result, ulong size)
    {
        if (role.Releases() && pointer != 0 && _live.Remove((process, pointer), out ulong freedSize))
        {
            _liveBytes -= Math.Min(_liveBytes, freedSize);
        }
        if (role.Allocates() && result != 0)
        {
            _live[(process, result)] = size;
            _liveBytes += size;
        }
    }

    /// <summary>Takes the tracer's hooks away, writes the calls still in progress (as unreturned) and completes the trace file.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        foreach (HookRegistration r in _registrations)
        {
            _machine.Cpu.Hooks.Remove(r);
        }
        foreach (Pending p in _pending.Values.OrderBy(x => x.Id))
        {
            Emit(p, returned: false, result: 0);
        }
        _pending.Clear();
        _writer.Complete();
    }

    /// <inheritdoc/>
    public void Dispose() => Finish();
}
