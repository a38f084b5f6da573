using Minix318Emu.Emulator.Processor;
using Minix318Emu.Tracing.Minix;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Tracer;

/// <summary>
/// Which process a call belongs to. On a MINIX kernel: the running process of MINIX's process
/// table (proc_ptr) with its own name and endpoint, one trace process per (endpoint, name).
/// Otherwise, and for kernel-scope functions: the image name and the address space (CR3).
/// </summary>
public sealed partial class AllocationTracer
{
    private readonly Dictionary<(string Name, uint Cr3), TraceProcess> _imageProcesses = new();
    private readonly Dictionary<(int Endpoint, ulong NameLo, ulong NameHi), int> _minixProcesses = new();
    private readonly List<List<Pending>> _pendingByProcess = new();
    private (TracedImage? Image, uint Cr3, int Id) _lastProcess;
    private (int Index, int Endpoint, ulong NameLo, ulong NameHi, int Id) _lastMinix = (-1, 0, 0, 0, -1);

    /// <summary>MINIX's process table when the kernel is MINIX (symbols proc, image, __cpu_local_vars); null otherwise.</summary>
    public MinixProcessTable? Minix { get; }

    /// <summary>What the tracer noticed about the MINIX process table and IPC (all zero for other kernels).</summary>
    public MinixTraceDiagnostics Diagnostics { get; } = new();

    /// <summary>One line on the MINIX process table and the messages seen, for the trace verb; null for other kernels.</summary>
    public string? MinixSummary => Minix switch
    {
        null => null,
        { Layout: null } => "MINIX kernel, but its process table was never found populated (no process names or endpoints in the trace)",
        { Layout: { } l } m => $"MINIX process table: {l.Count} slots of {l.Stride} bytes, p_name at {l.NameOffset}, p_endpoint at {l.EndpointOffset}, "
            + $"p_delivermsg at {Known(m.DeliverMsgOffset)}, p_seg.p_cr3 at {Known(m.Cr3Offset)}; {Diagnostics.Deliveries} messages delivered"
            + $"{Problems(m)}{(IpcProblem is null ? "" : "; " + IpcProblem)}",
    };

    private string Problems(MinixProcessTable m)
    {
        var p = new List<string>();
        void Add(long n, string what)
        {
            if (n > 0)
            {
                p.Add($"{n} {what}");
            }
        }
        Add(m.DeliverMsgConflicts, "copies from another p_delivermsg offset");
        Add(Diagnostics.CopiesOffLayout, "deliveries not from a p_delivermsg");
        Add(m.Cr3Mismatches, "processes running on another CR3 than p_cr3");
        Add(Diagnostics.CurrentProcessMisses, "user hooks where proc_ptr named no entry");
        Add(Diagnostics.ImageNameMismatches, "processes running a boot module under another name");
        Add(Diagnostics.FailedCopies, "deliveries retried after a fault");
        Add(Diagnostics.UnknownSenders, "messages from senders no longer in the table");
        return p.Count == 0 ? "" : "; " + string.Join(", ", p);
    }

    private static string Known(int offset) => offset >= 0 ? offset.ToString(System.Globalization.CultureInfo.InvariantCulture) : "? (not seen)";

    private int ProcessFor(Binding b, Cpu cpu)
    {
        if (b.Image.Scope == ImageScope.User && Minix is not null && Minix.EnsureLayout(_machine.Memory, _machine.Clock.Now))
        {
            if (Minix.TryCurrentIndex(_machine.Memory, out int index) && Minix.TryRead(_machine.Memory, index, out MinixProcess mp))
            {
                Minix.SampleCr3(_machine.Memory, cpu.Cr3, index); // a user-mode hook runs in the current process's address space
                int id = MinixProcessId(mp, cpu.Cr3);
                if (b.ProcessName is not null && (_lastNameCheck.Id != id || !ReferenceEquals(_lastNameCheck.Image, b.Image)))
                {
                    _lastNameCheck = (id, b.Image);
                    if (_namesChecked.Add((id, b.Image)) && mp.Name.Replace("*F", "", StringComparison.Ordinal) != b.ProcessName)
                    {
                        Diagnostics.ImageNameMismatches++;
                    }
                }
                return id;
            }
            Diagnostics.CurrentProcessMisses++;
        }
        uint cr3 = b.Image.Scope == ImageScope.Kernel ? 0u : cpu.Cr3;
        if (ReferenceEquals(_lastProcess.Image, b.Image) && _lastProcess.Cr3 == cr3)
        {
            return _lastProcess.Id; // consecutive calls almost always come from the same process
        }
        int pid = ImageProcessId(b, cpu);
        _lastProcess = (b.Image, cr3, pid);
        return pid;
    }

    private (int Id, TracedImage? Image) _lastNameCheck = (-1, null);
    private readonly HashSet<(int, TracedImage)> _namesChecked = new();

    private int ImageProcessId(Binding b, Cpu cpu)
    {
        (string, uint) key = b.Image.Scope == ImageScope.Kernel ? ("kernel", 0u) : (b.Image.Name, cpu.Cr3);
        if (!_imageProcesses.TryGetValue(key, out TraceProcess? p))
        {
            p = new TraceProcess(NewProcessId(), key.Item1, key.Item2);
            _imageProcesses[key] = p;
            DefineProcess(p);
        }
        return p.Id;
    }

    /// <summary>The trace process of a MINIX process-table entry; <paramref name="runningCr3"/> is the CR3 it runs on when that is known (0 otherwise).</summary>
    private int MinixProcessId(in MinixProcess mp, uint runningCr3)
    {
        if (_lastMinix.Index == mp.Index && _lastMinix.Endpoint == mp.Endpoint && _lastMinix.NameLo == mp.NameLo && _lastMinix.NameHi == mp.NameHi)
        {
            return _lastMinix.Id;
        }
        if (!_minixProcesses.TryGetValue((mp.Endpoint, mp.NameLo, mp.NameHi), out int id))
        {
            id = NewProcessId();
            _minixProcesses[(mp.Endpoint, mp.NameLo, mp.NameHi)] = id;
            DefineProcess(new TraceProcess(id, mp.Name, mp.Cr3 != 0 ? mp.Cr3 : runningCr3, mp.Endpoint));
        }
        _lastMinix = (mp.Index, mp.Endpoint, mp.NameLo, mp.NameHi, id);
        return id;
    }

    private readonly List<TraceProcess> _definedProcesses = new();

    /// <summary>Writes a process definition, keeping it so a trace resumed from a snapshot defines it again.</summary>
    private void DefineProcess(TraceProcess p)
    {
        _definedProcesses.Add(p);
        _writer.Define(p);
    }

    private int NewProcessId()
    {
        _pendingByProcess.Add(new List<Pending>());
        _serving.Add(-1);
        return _pendingByProcess.Count - 1;
    }

    private List<Pending> PendingStack(int process) => _pendingByProcess[process];
}
