namespace Minix318Emu.Emulator.Processor;

/// <summary>Segment-register loads with the protected-mode checks of the SDM (Vol. 3A, 5.5-5.10; MOV/POP/LDS pseudo-code in Vol. 2).</summary>
public sealed partial class Cpu
{
    /// <summary>Reads the descriptor for <paramref name="sel"/>, or raises <paramref name="vector"/>(sel) when it is outside its table.</summary>
    internal Descriptor ReadDescriptor(ushort sel, int vector = ExceptionVectors.GeneralProtection)
    {
        if (!TryDescriptorAddress(sel, out uint addr))
        {
            throw _fault.Set(vector, sel & 0xFFFC);
        }
        ulong raw = ReadSys(addr, 4) | ((ulong)ReadSys(addr + 4, 4) << 32);
        return new Descriptor(raw);
    }

    private bool TryDescriptorAddress(ushort sel, out uint addr)
    {
        uint index = (uint)(sel & 0xFFF8);
        if ((sel & 4) != 0)
        {
            addr = Ldtr.Base + index;
            return Ldtr.Selector >= 4 && (Ldtr.Attr & 0x80) != 0 && index + 7 <= Ldtr.Limit;
        }
        addr = GdtBase + index;
        return index + 7 <= GdtLimit;
    }

    /// <summary>Sets the accessed bit of a segment descriptor in its table, as the processor does on a load.</summary>
    private void MarkAccessed(ushort sel, Descriptor d)
    {
        if ((d.Access & 1) == 0 && TryDescriptorAddress(sel, out uint addr))
        {
            WriteSys(addr + 5, 1, (uint)(d.Access | 1));
        }
    }

    /// <summary>Loads a data or stack segment register (MOV, POP, LDS...). CS goes through the far-transfer paths.</summary>
    internal void LoadSegment(int seg, ushort sel)
    {
        if (!ProtectedMode || (FlagsOther & EFlags.VM) != 0)
        {
            ref SegmentCache s = ref Seg[seg];
            s.Selector = sel;
            s.Base = (uint)sel << 4;
            if (!ProtectedMode)
            {
                s.Refresh(false);
            }
            if (seg == SegReg.Ss)
            {
                InterruptShadow = MovSsShadow = true;
            }
            return;
        }
        int rpl = sel & 3;
        if (seg == SegReg.Ss)
        {
            if ((sel & 0xFFFC) == 0)
            {
                throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
            }
            Descriptor d = ReadDescriptor(sel);
            if (rpl != Cpl || d.Dpl != Cpl || !d.IsWritableData)
            {
                throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
            }
            if (!d.Present)
            {
                throw _fault.Set(ExceptionVectors.StackFault, sel & 0xFFFC);
            }
            MarkAccessed(sel, d);
            Seg[SegReg.Ss] = new Descriptor(d.Raw | (1ul << 40)).ToCache(sel);
            InterruptShadow = MovSsShadow = true;
            return;
        }
        if ((sel & 0xFFFC) == 0)
        {
            Seg[seg] = SegmentCache.Unusable(sel);
            return;
        }
        Descriptor dd = ReadDescriptor(sel);
        if (!dd.IsSegment || !dd.IsReadable)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        if (!dd.IsConforming && (rpl > dd.Dpl || Cpl > dd.Dpl))
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        if (!dd.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, sel & 0xFFFC);
        }
        MarkAccessed(sel, dd);
        Seg[seg] = new Descriptor(dd.Raw | (1ul << 40)).ToCache(sel);
    }

    /// <summary>
    /// Loads a segment register for a debugger: data registers go through the architectural
    /// checks; CS and SS take the descriptor as it is (privilege follows CS). False if the
    /// selector cannot be loaded.
    /// </summary>
    public bool DebuggerLoadSegment(int seg, ushort sel)
    {
        try
        {
            if (!ProtectedMode)
            {
                ref SegmentCache s = ref Seg[seg];
                s.Selector = sel;
                s.Base = (uint)sel << 4;
                RefreshMode();
                return true;
            }
            if (seg is SegReg.Cs or SegReg.Ss)
            {
                Descriptor d = ReadDescriptor(sel);
                Seg[seg] = d.ToCache(sel);
                if (seg == SegReg.Cs)
                {
                    Cpl = sel & 3;
                }
                RefreshMode();
                return true;
            }
            LoadSegment(seg, sel);
            return true;
        }
        catch (CpuFault)
        {
            return false;
        }
    }

    /// <summary>Loads CS from a code descriptor already checked by the caller, at privilege <paramref name="cpl"/>.</summary>
    private void LoadCs(ushort sel, Descriptor d, int cpl)
    {
        MarkAccessed(sel, d);
        Seg[SegReg.Cs] = new Descriptor(d.Raw | (1ul << 40)).ToCache((ushort)((sel & 0xFFFC) | cpl));
        Cpl = cpl;
        RefreshMode();
    }

    /// <summary>Loads CS in real mode: base = selector * 16, limit and attributes kept.</summary>
    private void LoadRealCs(ushort sel)
    {
        ref SegmentCache cs = ref Seg[SegReg.Cs];
        cs.Selector = sel;
        cs.Base = (uint)sel << 4;
        cs.Refresh(false);
        RefreshMode();
    }

    /// <summary>After a return to an outer level, data segments the new level may not use become null (SDM RET/IRET pseudo-code).</summary>
    private void NullInaccessibleDataSegments()
    {
        Span<int> segs = [SegReg.Es, SegReg.Ds, SegReg.Fs, SegReg.Gs];
        foreach (int s in segs)
        {
            ref SegmentCache c = ref Seg[s];
            bool conformingCode = c.IsCode && (c.Attr & 4) != 0;
            if ((c.Readable || c.Writable) && c.Dpl < Cpl && !conformingCode)
            {
                Seg[s] = SegmentCache.Unusable(0);
            }
        }
    }

    /// <summary>The stack state before a transfer, restored if pushing the return frame faults.</summary>
    private readonly record struct StackSnapshot(SegmentCache Ss, uint Esp, int Cpl);

    private StackSnapshot TakeStackSnapshot() => new(Seg[SegReg.Ss], R[Reg.Esp], Cpl);

    private void RestoreStack(in StackSnapshot s)
    {
        Seg[SegReg.Ss] = s.Ss;
        R[Reg.Esp] = s.Esp;
        if (Cpl != s.Cpl)
        {
            Cpl = s.Cpl;
            RefreshMode();
        }
    }

    /// <summary>Switches to the privilege-<paramref name="level"/> stack named by the TSS (checked as the SDM requires) and returns the outer stack.</summary>
    private StackSnapshot EnterInnerStack(int level)
    {
        ReadTssStack(level, out ushort ssSel, out uint esp);
        SegmentCache ss = CheckInnerStack(ssSel, level);
        StackSnapshot outer = TakeStackSnapshot();
        Seg[SegReg.Ss] = ss;
        R[Reg.Esp] = ss.Big ? esp : (outer.Esp & 0xFFFF_0000) | (esp & 0xFFFF);
        Cpl = level;
        RefreshMode();
        return outer;
    }

    /// <summary>Reads the inner-level stack pointer for privilege <paramref name="level"/> from the current TSS.</summary>
    private void ReadTssStack(int level, out ushort ss, out uint esp)
    {
        bool tss32 = (Tr.Attr & 0x8) != 0;
        uint offset = tss32 ? (uint)(4 + level * 8) : (uint)(2 + level * 4);
        uint need = tss32 ? offset + 5 : offset + 3;
        if (need > Tr.Limit)
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, Tr.Selector & 0xFFFC);
        }
        if (tss32)
        {
            esp = ReadSys(Tr.Base + offset, 4);
            ss = (ushort)ReadSys(Tr.Base + offset + 4, 2);
        }
        else
        {
            esp = ReadSys(Tr.Base + offset, 2);
            ss = (ushort)ReadSys(Tr.Base + offset + 2, 2);
        }
    }

    /// <summary>Checks and returns the stack segment for an inner-level transfer to privilege <paramref name="level"/> (faults are #TS).</summary>
    private SegmentCache CheckInnerStack(ushort ss, int level)
    {
        if ((ss & 0xFFFC) == 0)
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, 0);
        }
        Descriptor d = ReadDescriptor(ss, ExceptionVectors.InvalidTss);
        if ((ss & 3) != level || d.Dpl != level || !d.IsWritableData)
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, ss & 0xFFFC);
        }
        if (!d.Present)
        {
            throw _fault.Set(ExceptionVectors.StackFault, ss & 0xFFFC);
        }
        MarkAccessed(ss, d);
        return new Descriptor(d.Raw | (1ul << 40)).ToCache(ss);
    }
}
