namespace Minix318Emu.Emulator.Processor;

/// <summary>Data movement: MOV in all its forms, XCHG, the stack, CMPXCHG/XADD, far-pointer loads, ENTER/LEAVE.</summary>
public sealed partial class Cpu
{
    private void ExecMov(ref DecodedOp op)
    {
        switch (op.K0)
        {
            case (byte)Opnd.Reg:
                if (op.K1 == (byte)Opnd.Cr)
                {
                    RequireCpl0();
                    R[op.R0] = ReadCr(op.R1);
                }
                else if (op.K1 == (byte)Opnd.Dr)
                {
                    RequireCpl0();
                    R[op.R0] = ReadDr(op.R1);
                }
                else if (op.K1 == (byte)Opnd.SReg)
                {
                    SetReg(op.R0, op.Size, Seg[op.R1].Selector); // a 32-bit destination gets the selector zero-extended
                }
                else
                {
                    SetReg(op.R0, op.Size, ReadSrc(ref op));
                }
                break;
            case (byte)Opnd.Mem:
                if (op.K1 == (byte)Opnd.SReg)
                {
                    Write16(op.Seg, Ea(ref op), Seg[op.R1].Selector);
                }
                else
                {
                    WriteMem(op.Seg, Ea(ref op), op.Size, ReadSrc(ref op));
                }
                break;
            case (byte)Opnd.SReg:
            {
                if (op.R0 == SegReg.Cs)
                {
                    throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
                }
                ushort sel = (ushort)(op.K1 == (byte)Opnd.Reg ? R[op.R1] : ReadMem(op.Seg, Ea(ref op), 2));
                LoadSegment(op.R0, sel);
                break;
            }
            case (byte)Opnd.Cr:
                RequireCpl0();
                WriteCr(op.R0, R[op.R1]);
                break;
            case (byte)Opnd.Dr:
                RequireCpl0();
                WriteDr(op.R0, R[op.R1]);
                break;
        }
    }

    /// <summary>CWDE: EAX = AX sign-extended.</summary>
    internal void Cwde() => R[Reg.Eax] = SignExtend(R[Reg.Eax], 2);

    /// <summary>CDQ: EDX = the sign of EAX, repeated.</summary>
    internal void Cdq() => R[Reg.Edx] = (R[Reg.Eax] & 0x8000_0000) != 0 ? 0xFFFF_FFFFu : 0;

    private void ExecXchg(ref DecodedOp op)
    {
        uint d = RmwRead(ref op, out uint lin);
        uint s = GetReg(op.R1, op.Size);
        RmwWrite(ref op, lin, s);
        SetReg(op.R1, op.Size, d);
    }

    private void ExecPush(ref DecodedOp op)
    {
        int size = op.Size;
        uint v = op.K0 switch
        {
            (byte)Opnd.Reg => GetReg(op.R0, size), // PUSH ESP pushes the value before the decrement
            (byte)Opnd.Imm => op.Imm,
            (byte)Opnd.SReg => Seg[op.R0].Selector,
            _ => ReadMem(op.Seg, Ea(ref op), size),
        };
        Push(v, size);
    }

    private void ExecPop(ref DecodedOp op)
    {
        int size = op.Size;
        switch (op.K0)
        {
            case (byte)Opnd.Reg:
            {
                uint v = Pop(size);
                SetReg(op.R0, size, v); // POP ESP: the popped value wins over the increment
                break;
            }
            case (byte)Opnd.SReg:
            {
                // The increment is by the size of the stack the selector was read from: POP SS that
                // switches between a 16-bit (B=0) and a 32-bit (B=1) stack segment must not use the new one's.
                uint v = PeekStack(0, size);
                uint esp = R[Reg.Esp];
                uint newEsp = Stack32 ? esp + (uint)size : (esp & 0xFFFF_0000) | ((esp + (uint)size) & 0xFFFF);
                LoadSegment(op.R0, (ushort)v);
                R[Reg.Esp] = newEsp;
                break;
            }
            default:
            {
                // The address of a memory destination is computed with ESP already incremented.
                uint v = PeekStack(0, size);
                uint oldEsp = R[Reg.Esp];
                AdjustEsp((uint)size);
                try
                {
                    WriteMem(op.Seg, Ea(ref op), size, v);
                }
                catch (CpuFault)
                {
                    R[Reg.Esp] = oldEsp;
                    throw;
                }
                break;
            }
        }
    }

    /// <summary>PUSHA/PUSHAD: a fault on any of the eight pushes (the stack limit) leaves ESP as it was.</summary>
    private void ExecPusha(int size)
    {
        uint sp = R[Reg.Esp];
        try
        {
            for (int r = 0; r < 8; r++)
            {
                Push(r == Reg.Esp ? sp : R[r], size);
            }
        }
        catch (CpuFault)
        {
            R[Reg.Esp] = sp;
            throw;
        }
    }

    /// <summary>POPA/POPAD: all eight slots are read before any register changes, so a fault changes nothing; the ESP slot is skipped.</summary>
    private void ExecPopa(int size)
    {
        Span<uint> v = stackalloc uint[8];
        for (int i = 0; i < 8; i++)
        {
            v[i] = PeekStack((uint)(i * size), size);
        }
        for (int i = 0; i < 8; i++)
        {
            int r = 7 - i; // EDI is on top
            if (r != Reg.Esp)
            {
                SetReg(r, size, v[i]);
            }
        }
        AdjustEsp((uint)(8 * size));
    }

    private void ExecCmpxchg(ref DecodedOp op)
    {
        int size = op.Size;
        uint d = RmwRead(ref op, out uint lin);
        uint acc = GetReg(Reg.Eax, size);
        AluCompute(Alu.Cmp, acc, d, size);
        if (acc == d)
        {
            RmwWrite(ref op, lin, GetReg(op.R1, size));
        }
        else
        {
            RmwWrite(ref op, lin, d); // the processor always writes the destination back
            SetReg(Reg.Eax, size, d);
        }
    }

    private void ExecCmpxchg8b(ref DecodedOp op)
    {
        if (op.K0 != (byte)Opnd.Mem)
        {
            throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
        }
        uint ea = Ea(ref op);
        uint lin = LinWrite(op.Seg, ea, 8);
        ProbeWrite(lin, 4);
        ProbeWrite(lin + 4, 4);
        uint lo = ReadLin32(lin), hi = ReadLin32(lin + 4);
        bool equal = lo == R[Reg.Eax] && hi == R[Reg.Edx];
        if (equal)
        {
            WriteLin32(lin, R[Reg.Ebx]);
            WriteLin32(lin + 4, R[Reg.Ecx]);
        }
        else
        {
            WriteLin32(lin, lo);
            WriteLin32(lin + 4, hi);
            R[Reg.Eax] = lo;
            R[Reg.Edx] = hi;
        }
        SetSomeStatusFlags(EFlags.ZF, equal ? EFlags.ZF : 0);
    }

    private void ExecXadd(ref DecodedOp op)
    {
        int size = op.Size;
        uint d = RmwRead(ref op, out uint lin);
        uint s = GetReg(op.R1, size);
        uint sum = AluCompute(Alu.Add, d, s, size);
        SetReg(op.R1, size, d);
        RmwWrite(ref op, lin, sum);
    }

    private void ExecLoadFarPointer(ref DecodedOp op, int seg)
    {
        uint ea = Ea(ref op);
        int size = op.Size;
        uint offset = ReadMem(op.Seg, ea, size);
        ushort sel = Read16(op.Seg, (ea + (uint)size) & (op.ASize == 2 ? 0xFFFFu : 0xFFFF_FFFFu));
        LoadSegment(seg, sel);
        SetReg(op.R0, size, offset);
    }

    /// <summary>
    /// ENTER (SDM pseudo-code): FrameTemp is ESP after pushing EBP for a 32-bit operand size and
    /// SP for a 16-bit one, whatever the stack size; the outer frame pointers are read at
    /// [E]BP-size*i (addresses by the stack size), and ESP or SP drops by the frame size. A fault
    /// anywhere leaves ESP as it was.
    /// </summary>
    private void ExecEnter(int size, uint frameSize, uint level)
    {
        uint mask = Stack32 ? 0xFFFF_FFFFu : 0xFFFFu;
        uint oldEsp = R[Reg.Esp];
        try
        {
            Push(R[Reg.Ebp], size);
            uint frameTemp = size == 4 ? R[Reg.Esp] : R[Reg.Esp] & 0xFFFF;
            if (level > 0)
            {
                uint bp = R[Reg.Ebp];
                for (uint i = 1; i < level; i++)
                {
                    bp = (bp - (uint)size) & mask;
                    Push(ReadMem(SegReg.Ss, bp, size), size);
                }
                Push(frameTemp, size);
            }
            // Check the whole frame is writable before committing ESP, as the processor does.
            uint newSp = (R[Reg.Esp] - frameSize) & mask;
            if (frameSize > 0)
            {
                LinWrite(SegReg.Ss, newSp, 1);
            }
            SetReg(Reg.Ebp, size, frameTemp);
            R[Reg.Esp] = Stack32 ? newSp : (R[Reg.Esp] & 0xFFFF_0000) | newSp;
        }
        catch (CpuFault)
        {
            R[Reg.Esp] = oldEsp;
            throw;
        }
    }

    private void ExecLeave(int size)
    {
        uint bp = Stack32 ? R[Reg.Ebp] : R[Reg.Ebp] & 0xFFFF;
        uint v = ReadMem(SegReg.Ss, bp, size);
        if (Stack32)
        {
            R[Reg.Esp] = bp + (uint)size;
        }
        else
        {
            R[Reg.Esp] = (R[Reg.Esp] & 0xFFFF_0000) | ((bp + (uint)size) & 0xFFFF);
        }
        SetReg(Reg.Ebp, size, v);
    }
}
