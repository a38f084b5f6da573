namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Virtual-8086 mode (SDM vol. 3B chapter 20, without the CR4.VME extensions, which CPUID does
/// not offer): entered by an IRET at CPL 0 whose EFLAGS image has VM set, it runs 8086 code at
/// CPL 3 with real-mode segment arithmetic under paging. CLI, STI, PUSHF, POPF, INT n and IRET
/// are IOPL-sensitive (#GP(0) below IOPL 3; with it they act as in real mode, IOPL itself kept);
/// I/O goes by the TSS bitmap alone; interrupts and exceptions leave through a 32-bit gate to a
/// ring-0 handler, which finds GS, FS, DS and ES above the usual frame and null data segments.
/// </summary>
public sealed partial class Cpu
{
    private bool InVm86 => (FlagsOther & EFlags.VM) != 0;

    /// <summary>The instructions that need IOPL 3 in virtual-8086 mode raise #GP(0) below it.</summary>
    private void RequireVm86Iopl()
    {
        if (Iopl < 3)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
    }

    /// <summary>A segment as virtual-8086 mode sees it: base = selector * 16, 64 KiB, readable and writable, DPL 3.</summary>
    private static SegmentCache Vm86Segment(ushort selector) => RealSegment(selector, (uint)selector << 4, attr: 0xF3);

    /// <summary>IRET at CPL 0 to an EFLAGS image with VM set: EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS come off the stack.</summary>
    private void IretToVm86(uint eip, ushort cs, uint flags)
    {
        uint esp = PeekStack(12, 4);
        var sels = new ushort[5];
        for (int i = 0; i < 5; i++)
        {
            sels[i] = (ushort)PeekStack(16 + (uint)i * 4, 2); // SS, ES, DS, FS, GS
        }
        SetFlags(flags | EFlags.VM); // at CPL 0 every flag, IOPL included, comes from the image
        Seg[SegReg.Cs] = Vm86Segment(cs);
        Seg[SegReg.Ss] = Vm86Segment(sels[0]);
        Seg[SegReg.Es] = Vm86Segment(sels[1]);
        Seg[SegReg.Ds] = Vm86Segment(sels[2]);
        Seg[SegReg.Fs] = Vm86Segment(sels[3]);
        Seg[SegReg.Gs] = Vm86Segment(sels[4]);
        R[Reg.Esp] = esp;
        Cpl = 3;
        RefreshMode();
        _next = eip & 0xFFFF;
        _exitBlock = true;
    }

    /// <summary>IRET inside virtual-8086 mode with IOPL 3: the real-mode IRET, IOPL and VM unchanged.</summary>
    private void IretInVm86(int size)
    {
        RequireVm86Iopl();
        uint ip = PeekStack(0, size);
        ushort cs = (ushort)PeekStack((uint)size, 2);
        uint fl = PeekStack((uint)(2 * size), size);
        ip = RealModeTarget(ip, size); // an IRETD whose EIP has upper bits set is #GP(0), not truncated
        AdjustEsp((uint)(3 * size));
        Seg[SegReg.Cs] = Vm86Segment(cs);
        RefreshMode();
        ApplyPoppedFlags(fl, size, iret: true);
        _next = ip;
    }

    /// <summary>
    /// Leaving virtual-8086 mode for an interrupt or exception handler: the target must be a
    /// ring-0 non-conforming code segment; GS, FS, DS and ES are pushed (before the inner
    /// stack's SS and ESP) and become null.
    /// </summary>
    private void PushVm86Segments(int size)
    {
        Push(Seg[SegReg.Gs].Selector, size);
        Push(Seg[SegReg.Fs].Selector, size);
        Push(Seg[SegReg.Ds].Selector, size);
        Push(Seg[SegReg.Es].Selector, size);
    }

    private void NullVm86DataSegments()
    {
        Seg[SegReg.Gs] = SegmentCache.Unusable(0);
        Seg[SegReg.Fs] = SegmentCache.Unusable(0);
        Seg[SegReg.Ds] = SegmentCache.Unusable(0);
        Seg[SegReg.Es] = SegmentCache.Unusable(0);
    }
}
