namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Hardware task switches (SDM vol. 3A 7.3): a far JMP or CALL to a TSS descriptor or a task
/// gate, an interrupt or exception through a task gate in the IDT, and IRET with EFLAGS.NT
/// back to the linked task. The current state goes to the current TSS, the busy bits and the
/// back link follow table 7-2, CR0.TS is set, and the new task's CR3, LDTR, segment registers,
/// EFLAGS, EIP and general registers load from its TSS (16- or 32-bit). Errors in the new
/// TSS raise #TS, #NP or #SS after the switch, in the new task, as the SDM orders them; the
/// TSS's T bit raises the debug trap (DR6.BT) before the new task's first instruction.
/// </summary>
public sealed partial class Cpu
{
    private enum TaskSource { Jmp, Call, Interrupt, Iret }

    /// <summary>A far JMP or CALL named a TSS descriptor or a task gate (the descriptor is <paramref name="d"/>).</summary>
    private void FarTaskSwitch(ushort sel, Descriptor d, bool call)
    {
        if (d.Dpl < Cpl || d.Dpl < (sel & 3))
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        if (!d.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, sel & 0xFFFC);
        }
        ushort tssSel = sel;
        Descriptor tss = d;
        if (d.Type == 0x5)
        {
            // A task gate: the TSS it names must be in the GDT; the TSS descriptor's DPL is not checked.
            tssSel = d.GateSelector;
            if ((tssSel & 4) != 0)
            {
                throw _fault.Set(ExceptionVectors.GeneralProtection, tssSel & 0xFFFC);
            }
            tss = ReadDescriptor(tssSel);
        }
        SwitchTask(tssSel, tss, call ? TaskSource.Call : TaskSource.Jmp, _next, -1);
        _next = Eip;
    }

    /// <summary>An interrupt or exception through a task gate: switches to the gate's task, pushing the error code there.</summary>
    private void InterruptTaskSwitch(Descriptor gate, uint returnEip, int errorCode, int ext)
    {
        ushort tssSel = gate.GateSelector;
        if ((tssSel & 4) != 0)
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, (tssSel & 0xFFFC) + ext);
        }
        SwitchTask(tssSel, ReadDescriptor(tssSel, ExceptionVectors.InvalidTss), TaskSource.Interrupt, returnEip, errorCode);
    }

    /// <summary>IRET with NT set: back to the task whose selector is in the current TSS's link field.</summary>
    private void IretTaskSwitch()
    {
        ushort back = (ushort)ReadSys(Tr.Base, 2);
        if ((back & 4) != 0)
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, back & 0xFFFC);
        }
        Descriptor d = ReadDescriptor(back, ExceptionVectors.InvalidTss);
        if (d.IsSegment || (d.Type != 0x3 && d.Type != 0xB))
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, back & 0xFFFC); // the linked task must be busy
        }
        SwitchTask(back, d, TaskSource.Iret, _next, -1);
        _next = Eip;
    }

    private void SwitchTask(ushort sel, Descriptor tss, TaskSource source, uint returnEip, int errorCode)
    {
        bool busyWanted = source == TaskSource.Iret;
        int available = tss.Type & ~2;
        if (tss.IsSegment || (available != 0x1 && available != 0x9) || ((tss.Type & 2) != 0) != busyWanted)
        {
            throw _fault.Set(source == TaskSource.Iret ? ExceptionVectors.InvalidTss : ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        if (!tss.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, sel & 0xFFFC);
        }
        bool new32 = available == 0x9;
        if (tss.Limit < (new32 ? 0x67u : 0x2Bu))
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, sel & 0xFFFC);
        }
        bool old32 = (Tr.Attr & 0xF) is 0x9 or 0xB;
        if (Tr.Limit < (old32 ? 0x67u : 0x2Bu))
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, Tr.Selector & 0xFFFC);
        }

        // Read the new task's state before anything changes (a page fault here is the old task's).
        uint b = tss.Base;
        var regs = new uint[8];
        uint cr3 = 0, eip, flags;
        var sels = new ushort[6];
        ushort ldt;
        if (new32)
        {
            cr3 = ReadSys(b + 0x1C, 4);
            eip = ReadSys(b + 0x20, 4);
            flags = ReadSys(b + 0x24, 4);
            for (int i = 0; i < 8; i++)
            {
                regs[i] = ReadSys(b + 0x28 + (uint)i * 4, 4);
            }
            for (int i = 0; i < 6; i++)
            {
                sels[i] = (ushort)ReadSys(b + 0x48 + (uint)i * 4, 2);
            }
            ldt = (ushort)ReadSys(b + 0x60, 2);
        }
        else
        {
            eip = ReadSys(b + 0x0E, 2);
            flags = ReadSys(b + 0x10, 2) | (GetFlags() & 0xFFFF_0000);
            for (int i = 0; i < 8; i++)
            {
                regs[i] = (R[i] & 0xFFFF_0000) | ReadSys(b + 0x12 + (uint)i * 2, 2);
            }
            for (int i = 0; i < 4; i++)
            {
                sels[i] = (ushort)ReadSys(b + 0x22 + (uint)i * 2, 2);
            }
            ldt = (ushort)ReadSys(b + 0x2A, 2);
        }

        // Save the current task: JMP and IRET leave it available (and IRET clears NT in the saved flags).
        uint oldFlags = GetFlags();
        if (source is TaskSource.Jmp or TaskSource.Iret)
        {
            SetTssBusy(Tr.Selector, false);
        }
        if (source == TaskSource.Iret)
        {
            oldFlags &= ~EFlags.NT;
        }
        uint ob = Tr.Base;
        if (old32)
        {
            WriteSys(ob + 0x20, 4, returnEip);
            WriteSys(ob + 0x24, 4, oldFlags);
            for (int i = 0; i < 8; i++)
            {
                WriteSys(ob + 0x28 + (uint)i * 4, 4, R[i]);
            }
            for (int i = 0; i < 6; i++)
            {
                WriteSys(ob + 0x48 + (uint)i * 4, 2, Seg[i].Selector);
            }
        }
        else
        {
            WriteSys(ob + 0x0E, 2, returnEip & 0xFFFF);
            WriteSys(ob + 0x10, 2, oldFlags & 0xFFFF);
            for (int i = 0; i < 8; i++)
            {
                WriteSys(ob + 0x12 + (uint)i * 2, 2, R[i] & 0xFFFF);
            }
            for (int i = 0; i < 4; i++)
            {
                WriteSys(ob + 0x22 + (uint)i * 2, 2, Seg[i].Selector);
            }
        }
        if (source is TaskSource.Call or TaskSource.Interrupt)
        {
            WriteSys(b, 2, Tr.Selector); // the back link for the IRET that returns
            flags |= EFlags.NT;
        }
        if (source != TaskSource.Iret)
        {
            SetTssBusy(sel, true);
        }

        // The switch is committed: TR, CR0.TS, then the new state; faults from here are the new task's.
        CacheTr(sel, tss);
        Cr0 |= ControlRegs.Cr0TS;
        if (new32 && PagingEnabled)
        {
            WriteCr(3, cr3);
        }
        Array.Copy(regs, R, 8);
        SetFlags(flags);
        Eip = eip;
        LoadTaskSegments(sels, ldt, new32);
        InterruptShadow = MovSsShadow = false; // loading SS here is not a MOV SS
        if (errorCode >= 0)
        {
            Push((uint)errorCode, new32 ? 4 : 2);
        }
        _exitBlock = true;
        if (new32 && (ReadSys(b + 0x64, 2) & 1) != 0)
        {
            // The TSS's T bit: a debug trap once the switch is complete, before the new task's first instruction.
            Dr[6] |= Dr6Bt;
            DeliverException(ExceptionVectors.Debug, -1);
        }
    }

    /// <summary>Sets or clears the busy bit of the TSS descriptor <paramref name="sel"/> in its table.</summary>
    private void SetTssBusy(ushort sel, bool busy)
    {
        if (!TryDescriptorAddress(sel, out uint addr))
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, sel & 0xFFFC);
        }
        uint access = ReadSys(addr + 5, 1);
        WriteSys(addr + 5, 1, busy ? access | 2 : access & ~2u);
    }

    /// <summary>TR's cache for the TSS <paramref name="d"/>, which is busy now that it is the current task.</summary>
    private void CacheTr(ushort sel, Descriptor d) => Tr = new SegmentCache { Selector = sel, Base = d.Base, Limit = d.Limit, Attr = (ushort)(d.Attr | 2) };

    /// <summary>LDTR, then CS (which sets the new CPL), SS and the data segments, each checked as the SDM lists, failing with #TS.</summary>
    private void LoadTaskSegments(ushort[] sels, ushort ldt, bool new32)
    {
        // Selectors first, so a fault leaves the new task's selectors visible (without descriptors) to its handler.
        Ldtr = new SegmentCache { Selector = ldt };
        if ((ldt & 0xFFFC) != 0)
        {
            if ((ldt & 4) != 0)
            {
                throw _fault.Set(ExceptionVectors.InvalidTss, ldt & 0xFFFC);
            }
            Descriptor l = ReadDescriptor(ldt, ExceptionVectors.InvalidTss);
            if (l.IsSegment || l.Type != 2)
            {
                throw _fault.Set(ExceptionVectors.InvalidTss, ldt & 0xFFFC);
            }
            if (!l.Present)
            {
                throw _fault.Set(ExceptionVectors.InvalidTss, ldt & 0xFFFC);
            }
            Ldtr = new SegmentCache { Selector = ldt, Base = l.Base, Limit = l.Limit, Attr = l.Attr };
        }
        if (InVm86)
        {
            // A task in virtual-8086 mode: its selectors are paragraph numbers, its CPL 3.
            for (int s = 0; s < 6; s++)
            {
                Seg[s] = Vm86Segment(s < (new32 ? 6 : 4) ? sels[s] : (ushort)0);
            }
            Cpl = 3;
            RefreshMode();
            return;
        }
        ushort cs = sels[SegReg.Cs];
        if ((cs & 0xFFFC) == 0)
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, 0);
        }
        Descriptor c = ReadDescriptor(cs, ExceptionVectors.InvalidTss);
        int rpl = cs & 3;
        if (!c.IsCode || (c.IsConforming ? c.Dpl > rpl : c.Dpl != rpl))
        {
            throw _fault.Set(ExceptionVectors.InvalidTss, cs & 0xFFFC);
        }
        if (!c.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, cs & 0xFFFC);
        }
        LoadCs(cs, c, rpl);
        int count = new32 ? 6 : 4;
        int[] order = { SegReg.Ss, SegReg.Ds, SegReg.Es, SegReg.Fs, SegReg.Gs };
        foreach (int s in order)
        {
            if (s >= count)
            {
                Seg[s] = SegmentCache.Unusable(0); // a 16-bit TSS has no FS and GS
                continue;
            }
            try
            {
                LoadSegment(s, sels[s]);
            }
            catch (CpuFault f) when (f.Vector == ExceptionVectors.GeneralProtection)
            {
                throw _fault.Set(ExceptionVectors.InvalidTss, f.ErrorCode); // the same checks, reported as #TS
            }
        }
    }
}
