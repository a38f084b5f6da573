namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Far control transfers: JMP/CALL to code segments and through call gates (with the TSS stack
/// switch on a privilege change), RETF and IRET to the same or an outer level, POPF's rules,
/// and SYSENTER/SYSEXIT; targets that are tasks go to the task switch (Cpu.Tasks), IRET into and
/// inside virtual-8086 mode to Cpu.Vm86.
/// </summary>
public sealed partial class Cpu
{
    private void FarJump(ushort sel, uint offset, int size)
    {
        if (!ProtectedMode || (FlagsOther & EFlags.VM) != 0)
        {
            offset = RealModeTarget(offset, size);
            LoadRealCs(sel);
            _next = offset;
            return;
        }
        Descriptor d = ReadFarTarget(sel);
        if (d.IsCode)
        {
            offset = CheckDirectCodeTarget(sel, d, offset, size);
            LoadCs(sel, d, Cpl);
            _next = offset;
            return;
        }
        if (IsTaskTarget(d))
        {
            FarTaskSwitch(sel, d, call: false);
            return;
        }
        if (!IsCallGate(d))
        {
            throw FarTargetError(sel);
        }
        Descriptor target = CheckCallGate(sel, d, out ushort targetSel);
        if (target.IsConforming ? target.Dpl > Cpl : target.Dpl != Cpl)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, targetSel & 0xFFFC);
        }
        uint off = d.Type == 0xC ? d.GateOffset : d.GateOffset & 0xFFFF;
        CheckOffset(off, target.Limit);
        LoadCs(targetSel, target, Cpl);
        _next = off;
    }

    private void FarCall(ushort sel, uint offset, int size)
    {
        uint ret = _next;
        ushort oldCs = Seg[SegReg.Cs].Selector;
        if (!ProtectedMode || (FlagsOther & EFlags.VM) != 0)
        {
            offset = RealModeTarget(offset, size);
            PushReturnAddress(oldCs, ret, size);
            LoadRealCs(sel);
            _next = offset;
            return;
        }
        Descriptor d = ReadFarTarget(sel);
        if (d.IsCode)
        {
            offset = CheckDirectCodeTarget(sel, d, offset, size);
            PushReturnAddress(oldCs, ret, size);
            LoadCs(sel, d, Cpl);
            _next = offset;
            return;
        }
        if (IsTaskTarget(d))
        {
            FarTaskSwitch(sel, d, call: true);
            return;
        }
        if (!IsCallGate(d))
        {
            throw FarTargetError(sel);
        }
        CallThroughGate(sel, d, ret, oldCs);
    }

    /// <summary>Pushes CS and the return offset of a far CALL; if the second push faults, the stack is as before.</summary>
    private void PushReturnAddress(ushort cs, uint ret, int size)
    {
        StackSnapshot saved = TakeStackSnapshot();
        try
        {
            Push(cs, size);
            Push(ret, size);
        }
        catch (CpuFault)
        {
            RestoreStack(saved);
            throw;
        }
    }

    /// <summary>
    /// The new EIP of a far transfer in real or virtual-8086 mode: truncated to 16 bits for a
    /// 16-bit operand size, and #GP(0) when it lies beyond the code segment's limit (the limit
    /// CS keeps, 64 KiB), raised before anything changes (SDM JMP, CALL, RET and IRET
    /// pseudo-code, real-address and virtual-8086 mode exceptions).
    /// </summary>
    private uint RealModeTarget(uint offset, int size)
    {
        if (size == 2)
        {
            offset &= 0xFFFF;
        }
        CheckOffset(offset, Seg[SegReg.Cs].Limit);
        return offset;
    }

    /// <summary>The descriptor a far JMP or CALL names; a null selector is #GP(0).</summary>
    private Descriptor ReadFarTarget(ushort sel)
    {
        if ((sel & 0xFFFC) == 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        return ReadDescriptor(sel);
    }

    private static bool IsCallGate(Descriptor d) => !d.IsSegment && (d.Type == 0x4 || d.Type == 0xC);

    /// <summary>An available TSS or a task gate: a far JMP or CALL to it switches tasks.</summary>
    private static bool IsTaskTarget(Descriptor d) => !d.IsSegment && d.Type is 0x1 or 0x9 or 0x5;

    /// <summary>A far target that is neither code, a call gate nor a task: #GP(selector) (a busy TSS included).</summary>
    private Exception FarTargetError(ushort sel) => _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);

    /// <summary>Checks a direct far transfer to a code segment and returns the offset truncated to the operand size.</summary>
    private uint CheckDirectCodeTarget(ushort sel, Descriptor d, uint offset, int size)
    {
        int rpl = sel & 3;
        bool ok = d.IsConforming ? d.Dpl <= Cpl : rpl <= Cpl && d.Dpl == Cpl;
        if (!ok)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        if (!d.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, sel & 0xFFFC);
        }
        if (size == 2)
        {
            offset &= 0xFFFF;
        }
        CheckOffset(offset, d.Limit);
        return offset;
    }

    private void CheckOffset(uint offset, uint limit)
    {
        if (offset > limit)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
    }

    /// <summary>Checks a call gate and its target code descriptor (SDM Vol. 3A, 5.8.4).</summary>
    private Descriptor CheckCallGate(ushort gateSel, Descriptor gate, out ushort targetSel)
    {
        if (gate.Dpl < Cpl || gate.Dpl < (gateSel & 3))
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, gateSel & 0xFFFC);
        }
        if (!gate.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, gateSel & 0xFFFC);
        }
        targetSel = gate.GateSelector;
        if ((targetSel & 0xFFFC) == 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        Descriptor target = ReadDescriptor(targetSel);
        if (!target.IsCode || target.Dpl > Cpl)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, targetSel & 0xFFFC);
        }
        if (!target.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, targetSel & 0xFFFC);
        }
        return target;
    }

    private void CallThroughGate(ushort gateSel, Descriptor gate, uint ret, ushort oldCs)
    {
        Descriptor target = CheckCallGate(gateSel, gate, out ushort targetSel);
        int gateSize = gate.Type == 0xC ? 4 : 2;
        uint offset = gateSize == 4 ? gate.GateOffset : gate.GateOffset & 0xFFFF;
        CheckOffset(offset, target.Limit);

        // A conforming or same-level target keeps the stack; a more privileged one switches to the TSS stack and copies the parameters.
        bool inner = !target.IsConforming && target.Dpl < Cpl;
        int level = inner ? target.Dpl : Cpl;
        int count = inner ? gate.GateParamCount : 0;
        Span<uint> args = stackalloc uint[32];
        for (int i = 0; i < count; i++)
        {
            args[i] = PeekStack((uint)(i * gateSize), gateSize);
        }
        StackSnapshot saved = inner ? EnterInnerStack(level) : TakeStackSnapshot();
        try
        {
            if (inner)
            {
                Push(saved.Ss.Selector, gateSize);
                Push(saved.Esp, gateSize);
                for (int i = count - 1; i >= 0; i--)
                {
                    Push(args[i], gateSize);
                }
            }
            Push(oldCs, gateSize);
            Push(ret, gateSize);
        }
        catch (CpuFault)
        {
            RestoreStack(saved);
            throw;
        }
        LoadCs(targetSel, target, level);
        _next = offset;
    }

    /// <summary>Checks the code descriptor a RETF or IRET returns to.</summary>
    private Descriptor CheckReturnCs(ushort sel)
    {
        if ((sel & 0xFFFC) == 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        int rpl = sel & 3;
        if (rpl < Cpl)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        Descriptor d = ReadDescriptor(sel);
        if (!d.IsCode || (d.IsConforming ? d.Dpl > rpl : d.Dpl != rpl))
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        if (!d.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, sel & 0xFFFC);
        }
        return d;
    }

    /// <summary>Checks the stack segment a return to an outer level loads.</summary>
    private SegmentCache CheckReturnSs(ushort ssSel, int rpl)
    {
        if ((ssSel & 0xFFFC) == 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        Descriptor s = ReadDescriptor(ssSel);
        if ((ssSel & 3) != rpl || s.Dpl != rpl || !s.IsWritableData)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, ssSel & 0xFFFC);
        }
        if (!s.Present)
        {
            throw _fault.Set(ExceptionVectors.StackFault, ssSel & 0xFFFC);
        }
        MarkAccessed(ssSel, s);
        return new Descriptor(s.Raw | (1ul << 40)).ToCache(ssSel);
    }

    private void ExecRetf(int size, uint imm)
    {
        uint newEip = PeekStack(0, size);
        ushort sel = (ushort)PeekStack((uint)size, 2);
        if (!ProtectedMode || (FlagsOther & EFlags.VM) != 0)
        {
            newEip = RealModeTarget(newEip, size);
            AdjustEsp((uint)(2 * size) + imm);
            LoadRealCs(sel);
            _next = newEip;
            return;
        }
        Descriptor d = CheckReturnCs(sel);
        if (size == 2) newEip &= 0xFFFF;
        int rpl = sel & 3;
        if (rpl == Cpl)
        {
            CheckOffset(newEip, d.Limit);
            AdjustEsp((uint)(2 * size) + imm);
            LoadCs(sel, d, Cpl);
            _next = newEip;
            return;
        }
        uint newEsp = PeekStack((uint)(2 * size) + imm, size);
        ushort ssSel = (ushort)PeekStack((uint)(3 * size) + imm, 2);
        SegmentCache ss = CheckReturnSs(ssSel, rpl);
        CheckOffset(newEip, d.Limit);
        LoadCs(sel, d, rpl);
        Seg[SegReg.Ss] = ss;
        R[Reg.Esp] = ss.Big ? newEsp + imm : (R[Reg.Esp] & 0xFFFF_0000) | ((newEsp + imm) & 0xFFFF);
        NullInaccessibleDataSegments();
        _next = newEip;
    }

    private void ExecIret(int size)
    {
        NmiBlocked = false; // any IRET ends NMI blocking, even one that faults later (SDM vol. 3A 6.7.1)
        if (!ProtectedMode)
        {
            uint ip = PeekStack(0, size);
            ushort cs = (ushort)PeekStack((uint)size, 2);
            uint fl = PeekStack((uint)(2 * size), size);
            ip = RealModeTarget(ip, size);
            AdjustEsp((uint)(3 * size));
            LoadRealCs(cs);
            ApplyPoppedFlags(fl, size, iret: true);
            _next = ip;
            return;
        }
        if (InVm86)
        {
            IretInVm86(size);
            return;
        }
        if ((FlagsOther & EFlags.NT) != 0)
        {
            IretTaskSwitch();
            return;
        }
        uint newEip = PeekStack(0, size);
        ushort sel = (ushort)PeekStack((uint)size, 2);
        uint newFlags = PeekStack((uint)(2 * size), size);
        if (size == 4 && (newFlags & EFlags.VM) != 0 && Cpl == 0)
        {
            IretToVm86(newEip, sel, newFlags);
            return;
        }
        Descriptor d = CheckReturnCs(sel);
        if (size == 2) newEip &= 0xFFFF;
        int rpl = sel & 3;
        if (rpl == Cpl)
        {
            CheckOffset(newEip, d.Limit);
            AdjustEsp((uint)(3 * size));
            LoadCs(sel, d, Cpl);
            ApplyPoppedFlags(newFlags, size, iret: true);
            _next = newEip;
            return;
        }
        uint newEsp = PeekStack((uint)(3 * size), size);
        ushort ssSel = (ushort)PeekStack((uint)(4 * size), 2);
        SegmentCache ss = CheckReturnSs(ssSel, rpl);
        CheckOffset(newEip, d.Limit);
        ApplyPoppedFlags(newFlags, size, iret: true); // privilege rules use the CPL before the return
        LoadCs(sel, d, rpl);
        Seg[SegReg.Ss] = ss;
        R[Reg.Esp] = ss.Big ? newEsp : (R[Reg.Esp] & 0xFFFF_0000) | (newEsp & 0xFFFF);
        NullInaccessibleDataSegments();
        _next = newEip;
    }

    /// <summary>The EFLAGS update of POPF and IRET: IOPL only at CPL 0, IF only at CPL &lt;= IOPL, VM never here.</summary>
    private void ApplyPoppedFlags(uint value, int size, bool iret)
    {
        uint mask = EFlags.Writable & ~EFlags.VM;
        if (!iret)
        {
            mask &= ~EFlags.RF;
        }
        if (ProtectedMode)
        {
            if (Cpl > 0)
            {
                mask &= ~EFlags.IoplMask;
            }
            if (Cpl > Iopl)
            {
                mask &= ~EFlags.IF;
            }
        }
        if (size == 2)
        {
            mask &= 0xFFFF;
        }
        uint old = GetFlags();
        SetFlags((old & ~mask) | (value & mask));
        if (!iret)
        {
            SetFlags(GetFlags() & ~EFlags.RF);
        }
        if ((old & EFlags.TF) == 0 && (FlagsOther & EFlags.TF) != 0)
        {
            _exitBlock = true; // single-stepping starts with the next instruction: it must not run inside this block
        }
    }

    private void ExecPushf(int size)
    {
        if (InVm86)
        {
            RequireVm86Iopl();
        }
        // VM and RF read as 0 in the pushed image.
        Push(GetFlags() & ~(EFlags.VM | EFlags.RF), size);
    }

    private void ExecPopf(int size)
    {
        if (InVm86)
        {
            RequireVm86Iopl(); // then as at CPL 3: IOPL stays, VM is never popped
        }
        uint v = PeekStack(0, size);
        ApplyPoppedFlags(v, size, iret: false);
        AdjustEsp((uint)size);
    }

    private void ExecSysenter()
    {
        if (!ProtectedMode || (SysenterCs & 0xFFFC) == 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        FlagsOther &= ~(EFlags.VM | EFlags.IF | EFlags.RF);
        ushort cs = (ushort)(SysenterCs & 0xFFFC);
        SetFlatSegment(SegReg.Cs, cs, code: true, dpl: 0);
        SetFlatSegment(SegReg.Ss, (ushort)(cs + 8), code: false, dpl: 0);
        Cpl = 0;
        RefreshMode();
        R[Reg.Esp] = SysenterEsp;
        _next = SysenterEip;
    }

    private void ExecSysexit()
    {
        if (!ProtectedMode || (SysenterCs & 0xFFFC) == 0 || Cpl != 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        SetFlatSegment(SegReg.Cs, (ushort)((SysenterCs + 16) | 3), code: true, dpl: 3);
        SetFlatSegment(SegReg.Ss, (ushort)((SysenterCs + 24) | 3), code: false, dpl: 3);
        Cpl = 3;
        RefreshMode();
        R[Reg.Esp] = R[Reg.Ecx];
        _next = R[Reg.Edx];
    }

    /// <summary>The fixed flat segments SYSENTER/SYSEXIT load without reading descriptors (SDM SYSENTER pseudo-code).</summary>
    private void SetFlatSegment(int seg, ushort sel, bool code, int dpl)
    {
        var s = new SegmentCache
        {
            Selector = sel,
            Base = 0,
            Limit = 0xFFFF_FFFF,
            Attr = (ushort)((code ? 0x9B : 0x93) | (dpl << 5) | 0xC00),
        };
        s.Refresh(true);
        Seg[seg] = s;
    }
}
