namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Linear-to-physical translation: 32-bit paging with 4 KiB and 4 MiB pages (Intel SDM Vol. 3A,
/// 4.3), user/supervisor and read/write checks, CR0.WP, accessed and dirty bits, #PF with CR2.
/// </summary>
public sealed partial class Cpu
{
    internal const int AccessRead = 0, AccessWrite = 1, AccessExec = 2;

    /// <summary>
    /// Translates <paramref name="lin"/> for an access of kind <paramref name="access"/> at user
    /// privilege when <paramref name="user"/>; raises #PF on failure. Fills the software TLB.
    /// </summary>
    internal uint Translate(uint lin, int access, bool user)
    {
        Counters.PageWalks++;
        uint a20 = _mem.A20Mask;
        if ((Cr0 & ControlRegs.Cr0PG) == 0)
        {
            uint phys = lin & a20;
            FillTlb(lin, phys, user, writable: true);
            return phys;
        }

        bool write = access == AccessWrite;
        uint pdeAddr = ((Cr3 & 0xFFFF_F000) | ((lin >> 20) & 0xFFC)) & a20;
        uint pde = _mem.Read32(pdeAddr);
        if ((pde & 1) == 0)
        {
            throw PageFault(lin, present: false, write, user);
        }

        bool bigPage = (pde & 0x80) != 0 && (Cr4 & ControlRegs.Cr4PSE) != 0;
        uint pte, pteAddr = 0, phys2;
        if (bigPage)
        {
            pte = pde;
            phys2 = (pde & 0xFFC0_0000) | (lin & 0x003F_FFFF);
        }
        else
        {
            pteAddr = ((pde & 0xFFFF_F000) | ((lin >> 10) & 0xFFC)) & a20;
            pte = _mem.Read32(pteAddr);
            if ((pte & 1) == 0)
            {
                throw PageFault(lin, present: false, write, user);
            }
            phys2 = (pte & 0xFFFF_F000) | (lin & 0xFFF);
        }

        // Combined permissions: both levels must allow user access and, for a write, writing.
        bool userOk = (pde & pte & 4) != 0;
        bool writeOk = (pde & pte & 2) != 0;
        if (user && !userOk)
        {
            throw PageFault(lin, present: true, write, user);
        }
        if (write && !writeOk && (user || (Cr0 & ControlRegs.Cr0WP) != 0))
        {
            throw PageFault(lin, present: true, write, user);
        }

        // Accessed bits on both levels, dirty on the final entry for a write.
        if ((pde & 0x20) == 0 || (bigPage && write && (pde & 0x40) == 0))
        {
            pde |= 0x20;
            if (bigPage && write)
            {
                pde |= 0x40;
            }
            _mem.Write32(pdeAddr, pde);
        }
        if (!bigPage && ((pte & 0x20) == 0 || (write && (pte & 0x40) == 0)))
        {
            pte |= 0x20;
            if (write)
            {
                pte |= 0x40;
            }
            _mem.Write32(pteAddr, pte);
        }

        uint physical = phys2 & a20;
        // A write TLB entry is only installed once the page is dirty, so the first write walks the tables and sets D.
        bool dirty = bigPage ? (pde & 0x40) != 0 : (pte & 0x40) != 0;
        bool canWrite = (writeOk || (!user && (Cr0 & ControlRegs.Cr0WP) == 0)) && dirty;
        bool global = (Cr4 & ControlRegs.Cr4PGE) != 0 && (pte & 0x100) != 0; // G: PTE bit 8, or the 4 MiB PDE's
        FillTlb(lin, physical, user, canWrite, global);
        return physical;
    }

    private CpuFault PageFault(uint lin, bool present, bool write, bool user)
    {
        Counters.PageFaults++;
        Cr2 = lin;
        int code = (present ? 1 : 0) | (write ? 2 : 0) | (user ? 4 : 0);
        return _fault.Set(ExceptionVectors.PageFault, code);
    }

    /// <summary>
    /// Translates without side effects (no A/D updates, no fault, no TLB fill) for debuggers and
    /// tracers. Returns false when the address is not mapped.
    /// </summary>
    public bool TryTranslate(uint lin, out uint phys)
    {
        phys = 0;
        if ((Cr0 & ControlRegs.Cr0PG) == 0)
        {
            phys = lin & _mem.A20Mask;
            return true;
        }
        uint pde = _mem.Read32((Cr3 & 0xFFFF_F000) | ((lin >> 20) & 0xFFC));
        if ((pde & 1) == 0)
        {
            return false;
        }
        if ((pde & 0x80) != 0 && (Cr4 & ControlRegs.Cr4PSE) != 0)
        {
            phys = ((pde & 0xFFC0_0000) | (lin & 0x003F_FFFF)) & _mem.A20Mask;
            return true;
        }
        uint pte = _mem.Read32((pde & 0xFFFF_F000) | ((lin >> 10) & 0xFFC));
        if ((pte & 1) == 0)
        {
            return false;
        }
        phys = ((pte & 0xFFFF_F000) | (lin & 0xFFF)) & _mem.A20Mask;
        return true;
    }

    /// <summary>
    /// Reads a 32-bit value of guest virtual memory without faulting (tracers, debuggers): through
    /// the software TLB when the page is there (the common case: the current stack), else by a
    /// page walk. False if unmapped.
    /// </summary>
    public bool TryPeek32(uint lin, out uint value)
    {
        uint i = (uint)_tlbBase + ((lin >> 12) & TlbMask);
        if (_tlbRTag[i] == Tag(lin) && (lin & 0xFFF) <= 0xFFC)
        {
            value = System.Runtime.CompilerServices.Unsafe.ReadUnaligned<uint>(
                ref System.Runtime.CompilerServices.Unsafe.Add(ref RamRef, _tlbHost[i] + (int)(lin & 0xFFF)));
            return true;
        }
        Span<byte> b = stackalloc byte[4];
        bool ok = TryReadLinear(lin, b);
        value = ok ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        return ok;
    }

    /// <summary>
    /// Reads <paramref name="dest"/>.Length bytes from linear address <paramref name="lin"/> for
    /// debuggers and tracers: translated as <see cref="TryTranslate"/> does (no A/D updates, no
    /// fault), page by page, RAM copied directly and anything else read through the memory bus.
    /// False when any page is unmapped; <paramref name="dest"/> may then be partly filled.
    /// </summary>
    public bool TryReadLinear(uint lin, Span<byte> dest)
    {
        int done = 0;
        while (done < dest.Length)
        {
            uint at = lin + (uint)done;
            if (!TryTranslate(at, out uint phys))
            {
                return false;
            }
            int chunk = Math.Min(dest.Length - done, 0x1000 - (int)(at & 0xFFF));
            if (phys + (uint)chunk <= _mem.RamSize && _mem.RamPageOffset(phys & 0xFFFF_F000) >= 0)
            {
                _ram.AsSpan((int)phys, chunk).CopyTo(dest.Slice(done, chunk));
            }
            else
            {
                for (int i = 0; i < chunk; i++)
                {
                    dest[done + i] = _mem.Read8(phys + (uint)i);
                }
            }
            done += chunk;
        }
        return true;
    }

    /// <summary>Writes guest virtual memory without permission checks (debugger); false if any byte is unmapped.</summary>
    public bool TryWriteLinear(uint lin, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (!TryTranslate(lin + (uint)i, out _))
            {
                return false;
            }
        }
        for (int i = 0; i < data.Length; i++)
        {
            TryTranslate(lin + (uint)i, out uint phys);
            _mem.Write8(phys, data[i]);
        }
        return true;
    }
}
