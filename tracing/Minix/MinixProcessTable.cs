using Minix318Emu.Emulator.Memory;
using Minix318Emu.Images.Elf;
using Minix318Emu.Tracing.Symbols;

namespace Minix318Emu.Tracing.Minix;

/// <summary>
/// MINIX's process table read live in physical memory: which process runs now, and any slot's
/// name, endpoint and CR3. The kernel's data lies where its ELF program headers load it
/// (virtual 0xF04xxxxx at physical 0x004xxxxx, as MINIX itself maps it), so reading it needs no
/// page table and works in every address space, even VM's first one, which maps little of the
/// kernel. The table is found by the kernel's symbols — <c>proc</c> (the array), <c>image</c> (the boot
/// image table) and <c>__cpu_local_vars</c>, whose first field is <c>proc_ptr</c>, the running
/// process (minix/kernel/cpulocals.h declares it first; the kernel's own <c>do_ipc</c> reads
/// it there) — and its layout is discovered, not assumed (<see cref="ProcessTableLayout"/>).
/// </summary>
public sealed partial class MinixProcessTable
{
    /// <summary>MAX_NR_TASKS and _ENDPOINT_GENERATION_SHIFT (minix/include/minix/com.h, endpoint.h): endpoint = generation &lt;&lt; 15 + process number.</summary>
    private const int MaxNrTasks = 1023, GenerationShift = 15;

    /// <summary>Guest ticks between two attempts to find the layout while the table is still empty (early boot).</summary>
    private const ulong RetryTicks = 1_000_000;

    private readonly uint _cpuLocals;
    private readonly uint _toPhysical; // kernel virtual address + this = physical address
    private ulong _nextAttempt;
    private readonly byte[] _entry;
    private List<int>? _cr3Candidates;
    private uint _firstCr3Sample;
    private bool _sawSecondCr3;

    private MinixProcessTable(BootImageTable boot, uint procBase, uint procSize, uint cpuLocals, uint toPhysical)
    {
        Boot = boot;
        Base = procBase;
        Size = procSize;
        _cpuLocals = cpuLocals;
        _toPhysical = toPhysical;
        _entry = new byte[4096];
    }

    /// <summary>The boot image table.</summary>
    public BootImageTable Boot { get; }

    /// <summary>The address of the kernel's <c>proc</c> array.</summary>
    public uint Base { get; }

    /// <summary>Its size in bytes.</summary>
    public uint Size { get; }

    /// <summary>The layout, once found in the populated table.</summary>
    public ProcessTableLayout? Layout { get; private set; }

    /// <summary>
    /// The offset of p_delivermsg, once the kernel delivered a message; -1 before. The kernel
    /// copies messages to user space in two places (copy_msg_to_user): delivermsg, from the
    /// receiver's p_delivermsg, and kernel_call_finish, the reply to a kernel call, from the
    /// kernel stack or from p_vmrequest.saved.reqmsg (a call that waited for VM). p_delivermsg
    /// follows p_endpoint and the 64-byte p_sendmsg, each aligned to at most 16 bytes, so the
    /// first copy from an entry offset in that window fixes it; a later copy from the window at
    /// another offset is a layout conflict (<see cref="DeliverMsgConflicts"/>).
    /// </summary>
    public int DeliverMsgOffset { get; private set; } = -1;

    /// <summary>Copies from the p_delivermsg window at another offset than the one learnt first (0 when the layout is right).</summary>
    public long DeliverMsgConflicts { get; private set; }

    /// <summary>Whether a copy source at <paramref name="offset"/> of an entry is p_delivermsg (learning it from the first one).</summary>
    public bool IsDeliverMsg(int offset)
    {
        const int message = ProcessTableLayout.MessageSize, maxPadding = 15;
        if (Layout is not { } l || offset < l.EndpointOffset + 4 + message || offset > l.EndpointOffset + 4 + message + 2 * maxPadding)
        {
            return false;
        }
        if (DeliverMsgOffset < 0)
        {
            DeliverMsgOffset = offset;
        }
        if (offset != DeliverMsgOffset)
        {
            DeliverMsgConflicts++;
            return false;
        }
        return true;
    }

    /// <summary>The offset of p_seg.p_cr3, once the CR3 of running processes has singled it out; -1 before.</summary>
    public int Cr3Offset { get; private set; } = -1;

    /// <summary>Samples after <see cref="Cr3Offset"/> was found where a process ran on another CR3 than its p_cr3 (0 when the layout is right).</summary>
    public long Cr3Mismatches { get; private set; }

    /// <summary>The table of a MINIX kernel image; null (with the reason) for any other kernel.</summary>
    public static MinixProcessTable? TryCreate(TracedImage kernel, out string problem)
    {
        ElfSymbol? proc = kernel.Elf.FindSymbol("proc");
        ElfSymbol? locals = kernel.Elf.FindSymbol("__cpu_local_vars");
        if (proc is null || proc.Size == 0 || locals is null)
        {
            problem = "not a MINIX kernel: no 'proc' table or '__cpu_local_vars' symbol";
            return null;
        }
        ElfSegment? seg = kernel.Elf.Segments.FirstOrDefault(s => s.Type == ElfSegment.Load
            && proc.Value >= s.VirtualAddress && proc.Value + proc.Size <= s.VirtualAddress + s.MemorySize
            && locals.Value >= s.VirtualAddress && locals.Value + 4 <= s.VirtualAddress + s.MemorySize);
        if (seg is null)
        {
            problem = "'proc' and '__cpu_local_vars' are not in one loadable segment of the kernel";
            return null;
        }
        BootImageTable? boot = BootImageTable.TryRead(kernel, out problem);
        return boot is null ? null : new MinixProcessTable(boot, proc.Value, proc.Size, locals.Value, seg.PhysicalAddress - seg.VirtualAddress);
    }

    /// <summary>The physical address of kernel virtual address <paramref name="va"/> in the table's segment.</summary>
    public uint Physical(uint va) => va + _toPhysical;

    /// <summary>
    /// Finds the layout if it is not known yet: reads the whole table (once the kernel has
    /// named the boot processes; before that, at most once per <see cref="RetryTicks"/>).
    /// </summary>
    public bool EnsureLayout(PhysicalMemory mem, ulong now)
    {
        if (Layout is not null)
        {
            return true;
        }
        if (now < _nextAttempt)
        {
            return false;
        }
        _nextAttempt = now + RetryTicks;
        var table = new byte[Size];
        mem.ReadBytes(Physical(Base), table);
        Layout = ProcessTableLayout.Discover(table, Boot);
        return Layout is not null;
    }

    /// <summary>The slot of the running process (proc_ptr), when it points at an entry of the table.</summary>
    public bool TryCurrentIndex(PhysicalMemory mem, out int index)
    {
        index = -1;
        return Layout is not null && TryLocate(mem.Read32(Physical(_cpuLocals)), out index, out int offset) && offset == 0;
    }

    /// <summary>The slot and the offset inside it of a kernel address in the table.</summary>
    public bool TryLocate(uint address, out int index, out int offset)
    {
        index = offset = -1;
        uint rel = address - Base;
        if (Layout is not { } l || rel >= Size)
        {
            return false;
        }
        index = (int)(rel / (uint)l.Stride);
        offset = (int)(rel % (uint)l.Stride);
        return true;
    }

    /// <summary>The slot an endpoint names (_ENDPOINT_P plus NR_TASKS), or -1 outside the table.</summary>
    public int IndexOfEndpoint(int endpoint)
    {
        int slot = ((endpoint + MaxNrTasks) & ((1 << GenerationShift) - 1)) - MaxNrTasks;
        int index = slot + Boot.TaskCount;
        return Layout is { } l && index >= 0 && index < l.Count ? index : -1;
    }

    /// <summary>Reads slot <paramref name="index"/>: endpoint, name and (once known) CR3.</summary>
    public bool TryRead(PhysicalMemory mem, int index, out MinixProcess process)
    {
        process = default;
        if (Layout is not { } l || (uint)index >= (uint)l.Count)
        {
            return false;
        }
        uint e = Physical(Base + (uint)(index * l.Stride));
        uint n = e + (uint)l.NameOffset;
        ulong lo = mem.Read32(n) | (ulong)mem.Read32(n + 4) << 32;
        ulong hi = mem.Read32(n + 8) | (ulong)mem.Read32(n + 12) << 32;
        uint cr3 = Cr3Offset >= 0 ? mem.Read32(e + (uint)Cr3Offset) : 0;
        process = new MinixProcess(index, (int)mem.Read32(e + (uint)l.EndpointOffset), lo, hi, cr3);
        return true;
    }

    /// <summary>The endpoint in slot <paramref name="index"/> (the layout must be known).</summary>
    public int EndpointAt(PhysicalMemory mem, int index) =>
        (int)mem.Read32(Physical(Base + (uint)(index * Layout!.Stride) + (uint)Layout.EndpointOffset));

    /// <summary>A 32-bit value of the kernel's data at virtual address <paramref name="va"/> (such as a field of a message in the table).</summary>
    public uint Read32(PhysicalMemory mem, uint va) => mem.Read32(Physical(va));

    /// <summary>
    /// Learns p_seg.p_cr3 from a moment when slot <paramref name="index"/> is known to run in
    /// the CPU's current address space (a user process at a user-mode hook; the receiver of a
    /// message, which the kernel delivers after switching to its address space): the offsets
    /// holding the CR3 value are intersected over samples until one remains and two different
    /// CR3 values agreed on it. Once found, each sample checks it instead.
    /// </summary>
    public void SampleCr3(PhysicalMemory mem, uint cr3, int index)
    {
        if (Layout is not { } l || index < Boot.TaskCount || index >= l.Count)
        {
            return; // kernel tasks run in whatever address space was loaded
        }
        uint e = Physical(Base + (uint)(index * l.Stride));
        if (Cr3Offset >= 0)
        {
            uint have = mem.Read32(e + (uint)Cr3Offset);
            if (have != 0 && have != cr3)
            {
                Cr3Mismatches++;
            }
            return;
        }
        Span<byte> entry = _entry.AsSpan(0, l.Stride);
        if (cr3 == 0)
        {
            return;
        }
        mem.ReadBytes(e, entry);
        var found = new List<int>();
        for (int k = 0; k + 4 <= l.Stride; k += 4)
        {
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(entry[k..]) == cr3)
            {
                found.Add(k);
            }
        }
        if (found.Count == 0)
        {
            return; // this process has no address space of its own yet
        }
        List<int> kept = _cr3Candidates?.Intersect(found).ToList() ?? found;
        if (_cr3Candidates is null || kept.Count == 0)
        {
            _cr3Candidates = found;
            _firstCr3Sample = cr3;
            _sawSecondCr3 = false;
            return;
        }
        _cr3Candidates = kept;
        _sawSecondCr3 |= cr3 != _firstCr3Sample;
        if (_sawSecondCr3 && kept.Count == 1)
        {
            Cr3Offset = kept[0];
        }
    }
}
