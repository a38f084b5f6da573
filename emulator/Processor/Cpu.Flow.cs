using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Near control transfers: JMP, CALL, RET, Jcc, LOOP, and BOUND. Far forms go to Cpu.Far.</summary>
public sealed partial class Cpu
{
    /// <summary>Sets the next EIP to a near target, truncated to the operand size and checked against the CS limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetNearTarget(uint target, int size)
    {
        if (size == 2)
        {
            target &= 0xFFFF;
        }
        if (target > Seg[SegReg.Cs].Limit)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        _next = target;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BranchRel(ref DecodedOp op) => SetNearTarget(_next + op.Imm, op.Size);

    private void ExecJmp(ref DecodedOp op)
    {
        switch (op.K0)
        {
            case (byte)Opnd.Rel:
                BranchRel(ref op);
                break;
            case (byte)Opnd.Far:
                FarJump((ushort)op.Imm2, op.Imm, op.Size);
                break;
            case (byte)Opnd.Reg:
                SetNearTarget(GetReg(op.R0, op.Size), op.Size);
                break;
            default:
                if (IsFarMemory(ref op))
                {
                    ReadFarPointer(ref op, out ushort sel, out uint off);
                    FarJump(sel, off, op.Size);
                }
                else
                {
                    SetNearTarget(ReadMem(op.Seg, Ea(ref op), op.Size), op.Size);
                }
                break;
        }
    }

    private void ExecCall(ref DecodedOp op)
    {
        switch (op.K0)
        {
            case (byte)Opnd.Rel:
            {
                uint target = _next + op.Imm;
                uint ret = _next;
                SetNearTarget(target, op.Size);
                Push(ret, op.Size);
                break;
            }
            case (byte)Opnd.Far:
                FarCall((ushort)op.Imm2, op.Imm, op.Size);
                break;
            case (byte)Opnd.Reg:
            {
                uint ret = _next;
                SetNearTarget(GetReg(op.R0, op.Size), op.Size);
                Push(ret, op.Size);
                break;
            }
            default:
                if (IsFarMemory(ref op))
                {
                    ReadFarPointer(ref op, out ushort sel, out uint off);
                    FarCall(sel, off, op.Size);
                }
                else
                {
                    uint ret = _next;
                    SetNearTarget(ReadMem(op.Seg, Ea(ref op), op.Size), op.Size);
                    Push(ret, op.Size);
                }
                break;
        }
    }

    /// <summary>Whether an indirect JMP/CALL takes an m16:16 or m16:32 far pointer (Iced marks those with a Far code).</summary>
    private static bool IsFarMemory(ref DecodedOp op)
    {
        var code = (Iced.Intel.Code)op.Code;
        return code is Iced.Intel.Code.Jmp_m1616 or Iced.Intel.Code.Jmp_m1632 or Iced.Intel.Code.Call_m1616 or Iced.Intel.Code.Call_m1632;
    }

    private void ReadFarPointer(ref DecodedOp op, out ushort sel, out uint off)
    {
        uint ea = Ea(ref op);
        off = ReadMem(op.Seg, ea, op.Size);
        sel = Read16(op.Seg, (ea + op.Size) & (op.ASize == 2 ? 0xFFFFu : 0xFFFF_FFFFu));
    }

    private void ExecRet(ref DecodedOp op)
    {
        uint target = PeekStack(0, op.Size);
        SetNearTarget(target, op.Size);
        AdjustEsp((uint)op.Size + (op.K0 == (byte)Opnd.Imm ? op.Imm & 0xFFFF : 0));
    }

    /// <summary>LOOP (kind 0), LOOPE (1), LOOPNE (2): the counter is CX or ECX by address size; flags are untouched.</summary>
    private void ExecLoop(ref DecodedOp op, int kind)
    {
        uint count;
        if (op.ASize == 4)
        {
            count = --R[Reg.Ecx];
        }
        else
        {
            count = (R[Reg.Ecx] - 1) & 0xFFFF;
            R[Reg.Ecx] = (R[Reg.Ecx] & 0xFFFF_0000) | count;
        }
        bool taken = count != 0 && (kind == 0 || (kind == 1 ? ZF : !ZF));
        if (taken)
        {
            BranchRel(ref op);
        }
    }

    private void ExecBound(ref DecodedOp op)
    {
        int size = op.Size;
        uint ea = Ea(ref op);
        int lower = (int)SignExtend(ReadMem(op.Seg, ea, size), size);
        int upper = (int)SignExtend(ReadMem(op.Seg, ea + (uint)size, size), size);
        int index = (int)SignExtend(GetReg(op.R0, size), size);
        if (index < lower || index > upper)
        {
            throw _fault.Set(ExceptionVectors.BoundRange, -1);
        }
    }
}
