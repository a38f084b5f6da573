namespace Minix318Emu.Emulator.Processor;

/// <summary>System instructions: control registers, descriptor-table registers, LDT/TR, segment queries, CLI/STI, HLT, I/O with IOPL and the TSS bitmap.</summary>
public sealed partial class Cpu
{
    private void RequireCpl0()
    {
        if (ProtectedMode && Cpl != 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
    }

    private uint ReadCr(int n) => n switch
    {
        0 => Cr0,
        2 => Cr2,
        3 => Cr3,
        4 => Cr4,
        _ => throw _fault.Set(ExceptionVectors.InvalidOpcode, -1),
    };

    /// <summary>MOV to a control register, with the #GP checks of the SDM (Vol. 3A, 2.5 and MOV-CR pseudo-code).</summary>
    internal void WriteCr(int n, uint v)
    {
        switch (n)
        {
            case 0:
            {
                if ((v & ControlRegs.Cr0PG) != 0 && (v & ControlRegs.Cr0PE) == 0)
                {
                    throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
                }
                if ((v & ControlRegs.Cr0NW) != 0 && (v & ControlRegs.Cr0CD) == 0)
                {
                    throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
                }
                uint old = Cr0;
                Cr0 = v | ControlRegs.Cr0ET;
                if (((old ^ Cr0) & (ControlRegs.Cr0PG | ControlRegs.Cr0WP | ControlRegs.Cr0PE)) != 0)
                {
                    FlushTlb();
                }
                if (((old ^ Cr0) & ControlRegs.Cr0PE) != 0)
                {
                    // Entering or leaving protected mode keeps the segment caches; CPL follows CS.RPL in protected mode.
                    Cpl = ProtectedMode ? Seg[SegReg.Cs].Selector & 3 : 0;
                    if (ProtectedMode)
                    {
                        for (int i = 0; i < 6; i++)
                        {
                            Seg[i].Refresh(true);
                        }
                    }
                }
                if (old != Cr0)
                {
                    RefreshMode(); // a write of the same value changes nothing: blocks stay chained
                }
                break;
            }
            case 2:
                Cr2 = v;
                break;
            case 3:
                Cr3 = v;
                Counters.Cr3Loads++;
                FlushTlbKeepingGlobals();
                break;
            case 4:
                if ((v & ~Cr4Supported) != 0)
                {
                    throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
                }
                if (((Cr4 ^ v) & (ControlRegs.Cr4PSE | ControlRegs.Cr4PGE)) != 0)
                {
                    FlushTlb();
                }
                bool debugExtensions = ((Cr4 ^ v) & ControlRegs.Cr4DE) != 0;
                Cr4 = v;
                if (debugExtensions)
                {
                    ArmBreakpoints(); // R/W = 10 means I/O breakpoints only while DE is set
                }
                break;
            default:
                throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
        }
    }

    private void ExecLoadTableRegister(ref DecodedOp op, bool idt)
    {
        RequireCpl0();
        if (op.K0 != (byte)Opnd.Mem)
        {
            throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
        }
        uint ea = Ea(ref op);
        uint limit = Read16(op.Seg, ea);
        uint b = Read32(op.Seg, ea + 2);
        if (op.Size == 2)
        {
            b &= 0x00FF_FFFF; // a 16-bit operand size loads a 24-bit base
        }
        if (idt)
        {
            IdtBase = b;
            IdtLimit = limit;
        }
        else
        {
            GdtBase = b;
            GdtLimit = limit;
        }
    }

    private void ExecStoreTableRegister(ref DecodedOp op, bool idt)
    {
        if (op.K0 != (byte)Opnd.Mem)
        {
            throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
        }
        uint ea = Ea(ref op);
        Write16(op.Seg, ea, (ushort)(idt ? IdtLimit : GdtLimit));
        uint b = idt ? IdtBase : GdtBase;
        Write32(op.Seg, ea + 2, op.Size == 2 ? b & 0x00FF_FFFF : b);
    }

    private ushort ReadSelectorOperand(ref DecodedOp op) =>
        (ushort)(op.K0 == (byte)Opnd.Reg ? R[op.R0] : Read16(op.Seg, Ea(ref op)));

    private void RequireProtectedMode()
    {
        if (!ProtectedMode || (FlagsOther & EFlags.VM) != 0)
        {
            throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
        }
    }

    private void ExecLldt(ref DecodedOp op)
    {
        RequireProtectedMode();
        RequireCpl0();
        ushort sel = ReadSelectorOperand(ref op);
        if ((sel & 0xFFFC) == 0)
        {
            Ldtr = new SegmentCache { Selector = sel };
            return;
        }
        if ((sel & 4) != 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        Descriptor d = ReadDescriptor(sel);
        if (d.IsSegment || d.Type != 2)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        if (!d.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, sel & 0xFFFC);
        }
        Ldtr = new SegmentCache { Selector = sel, Base = d.Base, Limit = d.Limit, Attr = d.Attr };
    }

    private void ExecLtr(ref DecodedOp op)
    {
        RequireProtectedMode();
        RequireCpl0();
        ushort sel = ReadSelectorOperand(ref op);
        if ((sel & 0xFFFC) == 0 || (sel & 4) != 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        Descriptor d = ReadDescriptor(sel);
        if (d.IsSegment || (d.Type != 1 && d.Type != 9))
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, sel & 0xFFFC);
        }
        if (!d.Present)
        {
            throw _fault.Set(ExceptionVectors.SegmentNotPresent, sel & 0xFFFC);
        }
        SetTssBusy(sel, true);
        CacheTr(sel, d);
    }

    private void ExecStoreSelector(ref DecodedOp op, ushort value, bool zeroExtend = true, uint value32 = 0)
    {
        if (op.K0 == (byte)Opnd.Reg)
        {
            // SLDT/STR/SMSW to a 32-bit register: SMSW stores all of CR0's low bits, the others zero-extend.
            SetReg(op.R0, op.Size, zeroExtend ? value : value32);
        }
        else
        {
            Write16(op.Seg, Ea(ref op), value);
        }
    }

    private void ExecLmsw(ref DecodedOp op)
    {
        RequireCpl0();
        uint v = ReadSelectorOperand(ref op);
        // LMSW changes PE, MP, EM and TS only, and cannot clear PE.
        uint newCr0 = (Cr0 & ~0xEu) | (v & 0xF) | (Cr0 & ControlRegs.Cr0PE);
        WriteCr(0, newCr0);
    }

    /// <summary>LAR and LSL: load access rights or limit if the descriptor is visible at CPL/RPL; ZF says whether it was.</summary>
    private void ExecLarLsl(ref DecodedOp op, bool lsl)
    {
        RequireProtectedMode();
        ushort sel = (ushort)(op.K1 == (byte)Opnd.Reg ? R[op.R1] : Read16(op.Seg, Ea(ref op)));
        bool ok = TryVisibleDescriptor(sel, out Descriptor d);
        if (ok && !d.IsSegment)
        {
            // System descriptors valid for LAR: TSS, LDT, call and task gates; for LSL: TSS and LDT only.
            ok = lsl ? d.Type is 1 or 2 or 3 or 9 or 0xB : d.Type is 1 or 2 or 3 or 4 or 5 or 9 or 0xB or 0xC;
        }
        if (ok)
        {
            uint v = lsl ? d.Limit : (uint)(d.Raw >> 32) & 0x00F0_FF00;
            SetReg(op.R0, op.Size, v);
        }
        SetSomeStatusFlags(EFlags.ZF, ok ? EFlags.ZF : 0);
    }

    private void ExecVerrVerw(ref DecodedOp op, bool write)
    {
        RequireProtectedMode();
        ushort sel = ReadSelectorOperand(ref op);
        bool ok = TryVisibleDescriptor(sel, out Descriptor d) && d.IsSegment
            && (write ? d.IsWritableData : d.IsReadable);
        SetSomeStatusFlags(EFlags.ZF, ok ? EFlags.ZF : 0);
    }

    /// <summary>Whether a descriptor exists and its DPL admits CPL and RPL (conforming code is always visible).</summary>
    private bool TryVisibleDescriptor(ushort sel, out Descriptor d)
    {
        d = default;
        if ((sel & 0xFFFC) == 0 || !TryDescriptorAddress(sel, out uint addr))
        {
            return false;
        }
        d = new Descriptor(ReadSys(addr, 4) | ((ulong)ReadSys(addr + 4, 4) << 32));
        if (d.IsConforming)
        {
            return true;
        }
        return d.Dpl >= Cpl && d.Dpl >= (sel & 3);
    }

    private void ExecArpl(ref DecodedOp op)
    {
        RequireProtectedMode();
        uint d = RmwRead(ref op, out uint lin);
        uint s = GetReg(op.R1, 2);
        if ((d & 3) < (s & 3))
        {
            RmwWrite(ref op, lin, (d & ~3u) | (s & 3));
            SetSomeStatusFlags(EFlags.ZF, EFlags.ZF);
        }
        else
        {
            SetSomeStatusFlags(EFlags.ZF, 0);
        }
    }

    private bool IoPrivileged => !ProtectedMode || ((FlagsOther & EFlags.VM) == 0 && Cpl <= Iopl);

    /// <summary>CLI and STI: IOPL at least CPL, or IOPL 3 in virtual-8086 mode (where I/O itself still goes by the bitmap).</summary>
    private bool IfPrivileged => !ProtectedMode || (InVm86 ? Iopl == 3 : Cpl <= Iopl);

    private void ExecCli()
    {
        if (!IfPrivileged)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        FlagsOther &= ~EFlags.IF;
    }

    private void ExecSti()
    {
        if (!IfPrivileged)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        if (!IF)
        {
            InterruptShadow = true; // the instruction after STI runs before any interrupt
        }
        FlagsOther |= EFlags.IF;
    }

    private void ExecHlt()
    {
        RequireCpl0();
        Halted = true;
        Counters.Halts++;
    }

    /// <summary>The I/O permission check: IOPL, then the TSS I/O bitmap (SDM Vol. 1, 19.5).</summary>
    internal void CheckIoPermission(ushort port, int size)
    {
        Counters.PortAccesses++;
        if (_drIoMask != 0)
        {
            CheckIoBreakpoints(port, size);
        }
        if (IoPrivileged)
        {
            return;
        }
        if ((Tr.Attr & 0xF) is not (0x9 or 0xB) || Tr.Limit < 0x67)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        uint mapBase = ReadSys(Tr.Base + 0x66, 2);
        uint byteOffset = mapBase + (uint)(port >> 3);
        if (byteOffset + 1 > Tr.Limit)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        uint bits = ReadSys(Tr.Base + byteOffset, 2);
        uint mask = ((1u << size) - 1) << (port & 7);
        if ((bits & mask) != 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
    }

    private void ExecIn(ref DecodedOp op)
    {
        ushort port = (ushort)(op.K1 == (byte)Opnd.Imm ? op.Imm & 0xFF : R[Reg.Edx] & 0xFFFF);
        CheckIoPermission(port, op.Size);
        SetReg(Reg.Eax, op.Size, _io.Read(port, op.Size));
    }

    private void ExecOut(ref DecodedOp op)
    {
        ushort port = (ushort)(op.K0 == (byte)Opnd.Imm ? op.Imm & 0xFF : R[Reg.Edx] & 0xFFFF);
        int size = op.SrcSize;
        CheckIoPermission(port, size);
        _io.Write(port, size, GetReg(Reg.Eax, size));
    }
}
