using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Memory access: segmentation checks, then a direct-mapped software TLB that turns a linear
/// page into a RAM offset. Pages that are MMIO, hold decoded code (for writes), or are not
/// yet dirty (for writes) are never entered, so the fast path is one tag compare and everything
/// else falls to one cold slow path.
/// </summary>
public sealed partial class Cpu
{
    private const int TlbBits = 12;
    private const int TlbSize = 1 << TlbBits;
    private const uint TlbMask = TlbSize - 1;
    private const uint InvalidTag = 0; // generation 0 is never current, so this never matches

    // Two sets (supervisor, user), so a CPL change only switches _tlbBase. A tag is the linear
    // page with the TLB's generation in its low 12 bits: a flush starts a new generation
    // (O(1): guests load CR3 on every process switch) and clears the arrays only on wrap.
    private readonly uint[] _tlbRTag = new uint[2 * TlbSize];
    private readonly uint[] _tlbWTag = new uint[2 * TlbSize];
    private readonly int[] _tlbHost = new int[2 * TlbSize];
    private int _tlbBase;

    private void InitTlb() => FlushTlb();

    /// <summary>The tag an entry for <paramref name="lin"/> carries in the current generation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Tag(uint lin) => (lin & 0xFFFF_F000) | TlbGeneration;

    // Entries for global pages (PTE.G with CR4.PGE): a CR3 load carries them into the new generation.
    private readonly bool[] _tlbGlobal = new bool[2 * TlbSize];
    private readonly bool[] _tlbInGlobalList = new bool[2 * TlbSize];
    private readonly List<int> _tlbGlobalSlots = new();

    /// <summary>Drops every TLB entry, global pages included (paging mode, CR4.PGE or A20 change, watchpoints).</summary>
    public void FlushTlb()
    {
        Counters.FullTlbFlushes++;
        _epoch++;
        ForgetGlobalEntries();
        NextGeneration();
    }

    private void ForgetGlobalEntries()
    {
        foreach (int slot in _tlbGlobalSlots)
        {
            _tlbGlobal[slot] = _tlbInGlobalList[slot] = false;
        }
        _tlbGlobalSlots.Clear();
    }

    /// <summary>A CR3 load: drops every entry except those of global pages (SDM vol. 3A 4.10.4.1).</summary>
    private void FlushTlbKeepingGlobals()
    {
        uint old = TlbGeneration;
        _epoch++;
        if (!NextGeneration())
        {
            return; // the generation wrapped: everything went
        }
        uint now = TlbGeneration;
        foreach (int slot in _tlbGlobalSlots)
        {
            if (!_tlbGlobal[slot])
            {
                continue;
            }
            if ((_tlbRTag[slot] & 0xFFF) == old)
            {
                _tlbRTag[slot] = (_tlbRTag[slot] & 0xFFFF_F000) | now;
            }
            if ((_tlbWTag[slot] & 0xFFF) == old)
            {
                _tlbWTag[slot] = (_tlbWTag[slot] & 0xFFFF_F000) | now;
            }
        }
    }

    /// <summary>Starts a new TLB generation; false when it wrapped and the arrays (global entries too) were cleared.</summary>
    private bool NextGeneration()
    {
        if (++TlbGeneration < 0x1000)
        {
            return true;
        }
        TlbGeneration = 1;
        Array.Fill(_tlbRTag, InvalidTag);
        Array.Fill(_tlbWTag, InvalidTag);
        ForgetGlobalEntries();
        return false;
    }

    /// <summary>Drops the entries for the page holding <paramref name="lin"/> (INVLPG).</summary>
    internal void FlushTlbPage(uint lin)
    {
        Counters.PageFlushes++;
        _epoch++;
        uint i = (lin >> 12) & TlbMask;
        _tlbRTag[i] = _tlbWTag[i] = InvalidTag;
        _tlbRTag[i + TlbSize] = _tlbWTag[i + TlbSize] = InvalidTag;
    }

    /// <summary>Drops write entries that point at physical page <paramref name="physPage"/> (it now holds code).</summary>
    private void FlushTlbWritesTo(uint physPage)
    {
        int host = (int)(physPage << 12);
        for (int i = 0; i < _tlbHost.Length; i++)
        {
            if (_tlbHost[i] == host)
            {
                _tlbWTag[i] = InvalidTag;
            }
        }
    }

    private void FillTlb(uint lin, uint phys, bool user, bool writable, bool global = false)
    {
        int host = _mem.RamPageOffset(phys & 0xFFFF_F000);
        if (host < 0 || !Cacheable(lin))
        {
            return;
        }
        uint i = (uint)(user ? TlbSize : 0) + ((lin >> 12) & TlbMask);
        _tlbGlobal[i] = global;
        if (global && !_tlbInGlobalList[i])
        {
            _tlbInGlobalList[i] = true;
            _tlbGlobalSlots.Add((int)i);
        }
        uint tag = Tag(lin);
        if (_tlbHost[i] != host || _tlbRTag[i] != tag)
        {
            _tlbWTag[i] = InvalidTag;
        }
        _tlbHost[i] = host;
        _tlbRTag[i] = tag;
        if (writable && _journal is null && !_mem.IsCodePage(phys) && _mem.IsWritableRam(phys & 0xFFFF_F000))
        {
            _tlbWTag[i] = tag;
        }
    }

    private ref byte RamRef
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref MemoryMarshal.GetArrayDataReference(_ram);
    }

    private bool UserAccess => Cpl == 3;

    // ---- linear accesses -------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal byte ReadLin8(uint lin)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbRTag[i] == Tag(lin))
        {
            return Unsafe.Add(ref RamRef, _tlbHost[i] + (int)(lin & 0xFFF));
        }
        return (byte)ReadLinSlow(lin, 1, AccessRead);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ushort ReadLin16(uint lin)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbRTag[i] == Tag(lin) && (lin & 0xFFF) <= 0xFFE)
        {
            return Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref RamRef, _tlbHost[i] + (int)(lin & 0xFFF)));
        }
        return (ushort)ReadLinSlow(lin, 2, AccessRead);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint ReadLin32(uint lin)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbRTag[i] == Tag(lin) && (lin & 0xFFF) <= 0xFFC)
        {
            return Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref RamRef, _tlbHost[i] + (int)(lin & 0xFFF)));
        }
        return ReadLinSlow(lin, 4, AccessRead);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteLin8(uint lin, byte value)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbWTag[i] == Tag(lin))
        {
            Unsafe.Add(ref RamRef, _tlbHost[i] + (int)(lin & 0xFFF)) = value;
            return;
        }
        WriteLinSlow(lin, 1, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteLin16(uint lin, ushort value)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbWTag[i] == Tag(lin) && (lin & 0xFFF) <= 0xFFE)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref RamRef, _tlbHost[i] + (int)(lin & 0xFFF)), value);
            return;
        }
        WriteLinSlow(lin, 2, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteLin32(uint lin, uint value)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbWTag[i] == Tag(lin) && (lin & 0xFFF) <= 0xFFC)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref RamRef, _tlbHost[i] + (int)(lin & 0xFFF)), value);
            return;
        }
        WriteLinSlow(lin, 4, value);
    }

    internal uint ReadLin(uint lin, int size) => size switch
    {
        1 => ReadLin8(lin),
        2 => ReadLin16(lin),
        _ => ReadLin32(lin),
    };

    internal void WriteLin(uint lin, int size, uint value)
    {
        switch (size)
        {
            case 1: WriteLin8(lin, (byte)value); break;
            case 2: WriteLin16(lin, (ushort)value); break;
            default: WriteLin32(lin, value); break;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint ReadLinSlow(uint lin, int size, int access)
    {
        CheckWatch(lin, size, write: false);
        if ((lin & 0xFFF) + (uint)size > 0x1000)
        {
            // Split across two pages: translate both (first page first, as the hardware faults), then read bytes.
            uint p0 = Translate(lin, access, UserAccess);
            uint p1 = Translate((lin + (uint)size - 1) & 0xFFFF_F000, access, UserAccess);
            int firstPart = 0x1000 - (int)(lin & 0xFFF);
            uint value = 0;
            for (int b = 0; b < size; b++)
            {
                uint p = b < firstPart ? p0 + (uint)b : p1 + (uint)(b - firstPart);
                value |= PhysRead(p, 1) << (8 * b);
            }
            return value;
        }
        uint phys = Translate(lin, access, UserAccess);
        return PhysRead(phys, size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteLinSlow(uint lin, int size, uint value)
    {
        CheckWatch(lin, size, write: true);
        if ((lin & 0xFFF) + (uint)size > 0x1000)
        {
            uint p0 = Translate(lin, AccessWrite, UserAccess);
            uint p1 = Translate((lin + (uint)size - 1) & 0xFFFF_F000, AccessWrite, UserAccess);
            int firstPart = 0x1000 - (int)(lin & 0xFFF);
            for (int b = 0; b < size; b++)
            {
                uint p = b < firstPart ? p0 + (uint)b : p1 + (uint)(b - firstPart);
                PhysWrite(p, 1, (byte)(value >> (8 * b)));
            }
            return;
        }
        uint phys = Translate(lin, AccessWrite, UserAccess);
        PhysWrite(phys, size, value);
    }

    /// <summary>Makes sure a write of <paramref name="size"/> at <paramref name="lin"/> would succeed (faulting now if not), for read-modify-write instructions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ProbeWrite(uint lin, int size)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbWTag[i] != Tag(lin) || (lin & 0xFFF) > 0x1000 - (uint)size)
        {
            ProbeWriteSlow(lin, size);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ProbeWriteSlow(uint lin, int size)
    {
        Translate(lin, AccessWrite, UserAccess);
        if ((lin & 0xFFF) + (uint)size > 0x1000)
        {
            Translate((lin + (uint)size - 1) & 0xFFFF_F000, AccessWrite, UserAccess);
        }
    }

    // ---- supervisor (implicit) accesses: descriptor tables, TSS, IDT ----------------

    internal uint ReadSys(uint lin, int size)
    {
        uint value = 0;
        for (int b = 0; b < size; b++)
        {
            value |= PhysRead(Translate(lin + (uint)b, AccessRead, user: false), 1) << (8 * b);
        }
        return value;
    }

    internal void WriteSys(uint lin, int size, uint value)
    {
        for (int b = 0; b < size; b++)
        {
            PhysWrite(Translate(lin + (uint)b, AccessWrite, user: false), 1, (byte)(value >> (8 * b)));
        }
    }

    // ---- segmented accesses ----------------------------------------------------------

    /// <summary>Checks an access of <paramref name="size"/> bytes at <paramref name="off"/> in segment <paramref name="seg"/> and returns the linear address.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint LinRead(int seg, uint off, int size)
    {
        ref SegmentCache s = ref Seg[seg];
        uint rel = off - s.Low;
        if (!s.Readable || rel > s.Span || s.Span - rel < (uint)(size - 1))
        {
            throw SegmentLimitFault(seg);
        }
        return s.Base + off;
    }

    /// <summary>As <see cref="LinRead"/> for a write.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint LinWrite(int seg, uint off, int size)
    {
        ref SegmentCache s = ref Seg[seg];
        uint rel = off - s.Low;
        if (!s.Writable || rel > s.Span || s.Span - rel < (uint)(size - 1))
        {
            throw SegmentLimitFault(seg);
        }
        return s.Base + off;
    }

    private CpuFault SegmentLimitFault(int seg) =>
        _fault.Set(seg == SegReg.Ss ? ExceptionVectors.StackFault : ExceptionVectors.GeneralProtection, 0);

    internal byte Read8(int seg, uint off) => ReadLin8(LinRead(seg, off, 1));

    internal ushort Read16(int seg, uint off) => ReadLin16(LinRead(seg, off, 2));

    internal uint Read32(int seg, uint off) => ReadLin32(LinRead(seg, off, 4));

    internal uint ReadMem(int seg, uint off, int size) => ReadLin(LinRead(seg, off, size), size);

    internal void Write8(int seg, uint off, byte v) => WriteLin8(LinWrite(seg, off, 1), v);

    internal void Write16(int seg, uint off, ushort v) => WriteLin16(LinWrite(seg, off, 2), v);

    internal void Write32(int seg, uint off, uint v) => WriteLin32(LinWrite(seg, off, 4), v);

    internal void WriteMem(int seg, uint off, int size, uint v) => WriteLin(LinWrite(seg, off, size), size, v);

    // ---- the stack -------------------------------------------------------------------

    /// <summary>Whether the stack is 32-bit (SS.B).</summary>
    internal bool Stack32 => Seg[SegReg.Ss].Big;

    /// <summary>Pushes a value of <paramref name="size"/> (2 or 4) bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(uint value, int size)
    {
        if (Stack32)
        {
            uint esp = R[Reg.Esp] - (uint)size;
            WriteMem(SegReg.Ss, esp, size, value);
            R[Reg.Esp] = esp;
        }
        else
        {
            uint sp = (R[Reg.Esp] - (uint)size) & 0xFFFF;
            WriteMem(SegReg.Ss, sp, size, value);
            R[Reg.Esp] = (R[Reg.Esp] & 0xFFFF_0000) | sp;
        }
    }

    /// <summary>Pops a value of <paramref name="size"/> (2 or 4) bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Pop(int size)
    {
        if (Stack32)
        {
            uint esp = R[Reg.Esp];
            uint v = ReadMem(SegReg.Ss, esp, size);
            R[Reg.Esp] = esp + (uint)size;
            return v;
        }
        else
        {
            uint sp = R[Reg.Esp] & 0xFFFF;
            uint v = ReadMem(SegReg.Ss, sp, size);
            R[Reg.Esp] = (R[Reg.Esp] & 0xFFFF_0000) | ((sp + (uint)size) & 0xFFFF);
            return v;
        }
    }

    /// <summary>Reads the stack at ESP+<paramref name="delta"/> without popping.</summary>
    internal uint PeekStack(uint delta, int size)
    {
        uint sp = Stack32 ? R[Reg.Esp] + delta : (R[Reg.Esp] + delta) & 0xFFFF;
        return ReadMem(SegReg.Ss, sp, size);
    }

    /// <summary>Adds <paramref name="delta"/> to ESP or SP according to the stack size.</summary>
    internal void AdjustEsp(uint delta)
    {
        if (Stack32)
        {
            R[Reg.Esp] += delta;
        }
        else
        {
            R[Reg.Esp] = (R[Reg.Esp] & 0xFFFF_0000) | ((R[Reg.Esp] + delta) & 0xFFFF);
        }
    }
}
