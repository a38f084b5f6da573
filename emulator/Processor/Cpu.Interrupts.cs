namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Interrupt and exception delivery (SDM Vol. 3A, chapter 6): the real-mode IVT, IDT interrupt
/// and trap gates with the TSS stack switch, error codes, the double-fault rules and the triple
/// fault, which stops the machine.
/// </summary>
public sealed partial class Cpu
{
    /// <summary>Counts delivered interrupts and exceptions (statistics).</summary>
    public long InterruptsDelivered { get; private set; }

    /// <summary>Raised before an exception is delivered to the guest (vector, error code); for debuggers and tests.</summary>
    public Action<int, int>? ExceptionRaised { get; set; }

    /// <summary>INT n, INT3, INTO, INT1 from the instruction stream: returns to the next instruction.</summary>
    private void SoftwareInterrupt(int vector, bool checkDpl, bool ioplSensitive = false)
    {
        if (ioplSensitive && InVm86)
        {
            RequireVm86Iopl(); // INT n, not INT3 or INTO
        }
        DeliverInterrupt(vector, -1, _next, software: checkDpl, external: false);
        _next = Eip;
    }


    /// <summary>An edge on the NMI input (the local APIC's NMI delivery, or the chipset's): taken at the next instruction boundary, whatever IF says.</summary>
    public void RaiseNmi()
    {
        NmiPending = true;
        _exitBlock = true; // taken at the next instruction boundary, not at the end of the block
    }

    /// <summary>Whether an NMI would be taken now (pending and not blocked by a running NMI handler).</summary>
    public bool NmiDeliverable => NmiPending && !NmiBlocked;

    private void DeliverNmi()
    {
        NmiPending = false;
        NmiBlocked = true;
        DeliverExternalInterrupt(ExceptionVectors.Nmi);
    }

    /// <summary>Delivers a maskable interrupt acknowledged from the interrupt controller.</summary>
    internal void DeliverExternalInterrupt(int vector)
    {
        Halted = false;
        try
        {
            DeliverInterrupt(vector, -1, Eip, software: false, external: true);
        }
        catch (CpuFault f)
        {
            DeliverException(f.Vector, f.ErrorCode | 1); // EXT: the fault arose while delivering an external event
        }
    }

    /// <summary>Delivers a fault raised by the instruction at EIP, applying the double- and triple-fault rules.</summary>
    internal void DeliverException(int vector, int errorCode)
    {
        ExceptionRaised?.Invoke(vector, errorCode);
        DeliverExceptionCore(vector, errorCode);
    }

    private void DeliverExceptionCore(int vector, int errorCode)
    {
        Halted = false;
        try
        {
            DeliverInterrupt(vector, ExceptionVectors.HasErrorCode(vector) ? Math.Max(errorCode, 0) : -1, Eip, software: false, external: false);
        }
        catch (CpuFault second)
        {
            int v2 = second.Vector, e2 = second.ErrorCode;
            if (vector == ExceptionVectors.DoubleFault)
            {
                throw TripleFault($"{ExceptionVectors.Name(v2)} while delivering #DF");
            }
            ExceptionRaised?.Invoke(v2, e2);
            bool firstContributory = ExceptionVectors.IsContributory(vector);
            bool secondContributory = ExceptionVectors.IsContributory(v2);
            bool firstPf = vector == ExceptionVectors.PageFault;
            bool secondPf = v2 == ExceptionVectors.PageFault;
            if ((firstContributory && secondContributory) || (firstPf && (secondContributory || secondPf)))
            {
                DeliverException(ExceptionVectors.DoubleFault, 0);
            }
            else
            {
                DeliverExceptionCore(v2, e2);
            }
        }
    }

    private void DeliverInterrupt(int vector, int errorCode, uint returnEip, bool software, bool external)
    {
        InterruptsDelivered++;
        if (!ProtectedMode)
        {
            DeliverRealMode(vector, returnEip);
            return;
        }
        int ext = external ? 1 : 0;
        uint entry = (uint)vector * 8;
        if (entry + 7 > IdtLimit)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, (int)entry + 2 + ext);
        }
        var gate = new Descriptor(ReadSys(IdtBase + entry, 4) | ((ulong)ReadSys(IdtBase + entry + 4, 4) << 32));
        int type = gate.Type;
        if (gate.IsSegment || type is not (0x5 or 0x6 or 0x7 or 0xE or 0xF))
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, (int)entry + 2 + ext);
        }
        if (software && gate.Dpl < Cpl)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, (int)entry + 2);
        }
        if (!gate.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, (int)entry + 2 + ext);
        }
        if (type == 0x5)
        {
            InterruptTaskSwitch(gate, returnEip, errorCode, ext);
            return;
        }
        ushort sel = gate.GateSelector;
        if ((sel & 0xFFFC) == 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, ext);
        }
        Descriptor target = ReadDescriptor(sel);
        if (!target.IsCode || target.Dpl > Cpl)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, (sel & 0xFFFC) + ext);
        }
        if (!target.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, (sel & 0xFFFC) + ext);
        }
        int size = (type & 8) != 0 ? 4 : 2;
        uint offset = size == 4 ? gate.GateOffset : gate.GateOffset & 0xFFFF;
        CheckOffset(offset, target.Limit);
        uint flags = GetFlags();
        ushort oldCs = Seg[SegReg.Cs].Selector;

        bool fromVm86 = InVm86;
        if (fromVm86 && (target.IsConforming || target.Dpl != 0))
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, (sel & 0xFFFC) + ext); // only a ring-0 handler may take it
        }
        bool inner = !target.IsConforming && target.Dpl < Cpl;
        int newCpl = target.IsConforming ? Cpl : target.Dpl;
        StackSnapshot saved = inner ? EnterInnerStack(newCpl) : TakeStackSnapshot();
        try
        {
            if (fromVm86)
            {
                PushVm86Segments(size);
            }
            if (inner)
            {
                Push(saved.Ss.Selector, size);
                Push(saved.Esp, size);
            }
            Push(flags, size);
            Push(oldCs, size);
            Push(returnEip, size);
            if (errorCode >= 0)
            {
                Push((uint)errorCode, size);
            }
        }
        catch (CpuFault)
        {
            RestoreStack(saved);
            throw;
        }
        LoadCs(sel, target, newCpl);
        if (fromVm86)
        {
            NullVm86DataSegments();
        }
        uint clear = EFlags.TF | EFlags.NT | EFlags.RF | EFlags.VM;
        if ((type & 1) == 0)
        {
            clear |= EFlags.IF; // interrupt gate; a trap gate leaves IF alone
        }
        FlagsOther &= ~clear;
        Eip = offset;
    }

    private void DeliverRealMode(int vector, uint returnEip)
    {
        uint entry = (uint)vector * 4;
        if (entry + 3 > IdtLimit)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        uint ivt = _mem.Read32((IdtBase + entry) & _mem.A20Mask);
        Push(GetFlags() & 0xFFFF, 2);
        Push(Seg[SegReg.Cs].Selector, 2);
        Push(returnEip & 0xFFFF, 2);
        FlagsOther &= ~(EFlags.IF | EFlags.TF | EFlags.AC);
        LoadRealCs((ushort)(ivt >> 16));
        Eip = ivt & 0xFFFF;
    }
}
