using Minix318Emu.Emulator.Processor;
using Minix318Emu.Tracing.Minix;
using Minix318Emu.Tracing.Model;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Tracer;

/// <summary>
/// MINIX's IPC, from two places in the kernel (minix/kernel/proc.c): <c>do_ipc(call, endpoint,
/// message)</c>, entered for every IPC trap of the running process, tells what each process
/// is blocked in — RECEIVE (a server waiting for work) or SENDREC (a client waiting for its
/// answer); delivermsg's call <c>copy_msg_to_user(&amp;rp-&gt;p_delivermsg, buffer)</c> in
/// switch_to_user, through which the kernel delivers every message just before the receiver
/// runs, gives the receiver (the table entry the source lies in), the sender (m_source, which
/// the kernel wrote) and the type. A delivery to a process blocked in RECEIVE is a request:
/// the calls that process makes until its next request serve it (exact for single-threaded
/// servers such as VM and PM; VFS's worker threads share one process, so there it is the last
/// request received). The sender's innermost traced call in progress at the delivery is
/// recorded too: that joins a client's brk, or the malloc whose page fault the kernel reports
/// to VM, to what the server allocates for it.
/// </summary>
public sealed partial class AllocationTracer
{
    /// <summary>RECEIVE and SENDREC (minix/include/minix/ipcconst.h).</summary>
    private const uint IpcReceive = 2, IpcSendRec = 3;

    private readonly List<long> _serving = new();
    private readonly Dictionary<long, PendingDelivery> _deliveries = new();
    private (int Endpoint, IpcKind Kind, bool Known)[] _awaiting = Array.Empty<(int, IpcKind, bool)>(); // by slot
    private long _nextIpcId;
    private long _nextDeliveryToken;

    private readonly Action<long> _onDeliveryReturn;

    private readonly record struct PendingDelivery(int Index, int SourceEndpoint, uint MessageType, ulong Time);

    /// <summary>Messages recorded so far.</summary>
    public long Messages => _writer.Messages;

    private void AttachIpc(TracedImage kernel, Cpu cpu)
    {
        // delivermsg is inlined into switch_to_user (MINIX 3.4): its one call of
        // copy_msg_to_user there sees deliveries only, not the kernel-call replies that also
        // pass through copy_msg_to_user (about 4.6 per delivery on a MINIX 3.4 boot).
        if (!kernel.Symbols.TryFind("do_ipc", out uint ipc) || !kernel.Symbols.TryFind("copy_msg_to_user", out uint copy)
            || FindOnlyCall(kernel, "switch_to_user", copy) is not uint site)
        {
            IpcProblem = "no do_ipc, or no single call of copy_msg_to_user in switch_to_user: messages are not recorded";
            return;
        }
        _registrations.Add(cpu.Hooks.Add(ipc, "tracer", _ =>
        {
            OnDoIpc();
            return false;
        }));
        _registrations.Add(cpu.Hooks.Add(site, "tracer", _ =>
        {
            OnDeliver();
            return false;
        }));
    }

    /// <summary>Why messages are not recorded on this MINIX kernel, or null.</summary>
    public string? IpcProblem { get; private set; }

    /// <summary>The address of the only direct CALL (E8 rel32) to <paramref name="target"/> inside function <paramref name="caller"/>, or null.</summary>
    private static uint? FindOnlyCall(TracedImage image, string caller, uint target)
    {
        Images.Elf.ElfSymbol? f = image.Elf.FindSymbol(caller);
        if (f is null || f.Size is 0 or > 1 << 16)
        {
            return null;
        }
        var code = new byte[f.Size];
        if (!image.TryGetBytes(f.Value, code))
        {
            return null;
        }
        uint? found = null;
        for (int i = 0; i + 5 <= code.Length; i++)
        {
            if (code[i] == 0xE8 && f.Value + (uint)i + 5 + BitConverter.ToUInt32(code, i + 1) == target)
            {
                if (found is not null)
                {
                    return null; // two call sites: hook the function itself
                }
                found = f.Value + (uint)i;
            }
        }
        return found;
    }

    private long ServingRequest(int process) => _serving[process];

    private bool LayoutReady()
    {
        if (!Minix!.EnsureLayout(_machine.Memory, _machine.Clock.Now))
        {
            return false;
        }
        if (_awaiting.Length == 0)
        {
            _awaiting = new (int, IpcKind, bool)[Minix.Layout!.Count];
        }
        return true;
    }

    /// <summary>do_ipc's entry: remember whether the running process now waits for a request or for a reply.</summary>
    private void OnDoIpc()
    {
        Cpu cpu = _machine.Cpu;
        if (!LayoutReady() || !Minix!.TryCurrentIndex(_machine.Memory, out int index))
        {
            return;
        }
        uint call = ReadU32(cpu, cpu.R[Reg.Esp] + 4);
        if (call is IpcReceive or IpcSendRec)
        {
            _awaiting[index] = (Minix.EndpointAt(_machine.Memory, index), call == IpcReceive ? IpcKind.Request : IpcKind.Reply, true);
        }
    }

    /// <summary>delivermsg's call of copy_msg_to_user(&amp;rp->p_delivermsg, buffer): a delivery, complete when the copy returns 0.</summary>
    private void OnDeliver()
    {
        Cpu cpu = _machine.Cpu;
        if (!LayoutReady())
        {
            return;
        }
        // The arguments are at [ESP] at the call; the return comes to the next instruction
        // (a CALL rel32 is 5 bytes) with ESP as it is now.
        uint esp = cpu.R[Reg.Esp];
        uint src = ReadU32(cpu, esp);
        if (!Minix!.TryLocate(src, out int index, out int offset) || !Minix.IsDeliverMsg(offset))
        {
            Diagnostics.CopiesOffLayout++;
            return;
        }
        long token = _nextDeliveryToken++;
        // m_source (written by the kernel) and m_type are the message's first two words.
        _deliveries[token] = new PendingDelivery(index, (int)Minix.Read32(_machine.Memory, src), Minix.Read32(_machine.Memory, src + 4), _machine.Clock.Now);
        cpu.WatchReturn(cpu.Seg[SegReg.Cs].Base + cpu.Eip + 5, esp - 4, token, _onDeliveryReturn);
    }

    private void OnDeliveryReturn(long token)
    {
        if (!_deliveries.Remove(token, out PendingDelivery d))
        {
            return;
        }
        Cpu cpu = _machine.Cpu;
        if (cpu.R[Reg.Eax] != 0)
        {
            Diagnostics.FailedCopies++; // the receiver's buffer was not mapped: VM maps it and the kernel copies again
            return;
        }
        Diagnostics.Deliveries++;
        if (!Minix!.TryRead(_machine.Memory, d.Index, out MinixProcess receiver))
        {
            return;
        }
        Minix.SampleCr3(_machine.Memory, cpu.Cr3, d.Index); // the kernel switched to the receiver's address space before copying
        int to = MinixProcessId(receiver, cpu.Cr3);
        int from = -1;
        int si = Minix.IndexOfEndpoint(d.SourceEndpoint);
        if (si >= 0 && Minix.TryRead(_machine.Memory, si, out MinixProcess sender) && sender.Endpoint == d.SourceEndpoint)
        {
            from = MinixProcessId(sender, 0);
        }
        else
        {
            Diagnostics.UnknownSenders++;
        }
        // A process that has not made a blocking IPC call yet (its slot's last one was another
        // process's) is a forked child: its first message is PM's reply to its parent's fork.
        var (endpoint, waitedFor, known) = _awaiting[d.Index];
        IpcKind kind = known && endpoint == receiver.Endpoint ? waitedFor : IpcKind.Reply;
        if (!Enabled)
        {
            if (kind == IpcKind.Request)
            {
                _serving[to] = -1; // serving something that is not in the trace
            }
            return;
        }
        List<Pending>? senderStack = from >= 0 ? _pendingByProcess[from] : null;
        long senderCall = senderStack is { Count: > 0 } ? senderStack[^1].Id : -1;
        long id = _nextIpcId++;
        _writer.WriteMessage(id, kind, d.Time, to, from, d.SourceEndpoint, d.MessageType, senderCall);
        if (kind == IpcKind.Request)
        {
            _serving[to] = id;
        }
    }
}
