using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Operand access for decoded instructions: registers by size, effective addresses, generic read/write.</summary>
public sealed partial class Cpu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Ea(ref DecodedOp op)
    {
        uint ea = R[op.Base] + (R[op.Index] << op.Scale) + op.Disp;
        return op.ASize == 2 ? ea & 0xFFFF : ea;
    }

    /// <summary>The effective address of a 32-bit addressing form (no truncation), without bounds checks on the register file.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint Ea32(ref DecodedOp op)
    {
        ref uint r = ref MemoryMarshal.GetArrayDataReference(R);
        return Unsafe.Add(ref r, op.Base) + (Unsafe.Add(ref r, op.Index) << op.Scale) + op.Disp;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint GetReg(int r, int size)
    {
        if (size == 4)
        {
            return R[r];
        }
        if (size == 2)
        {
            return R[r] & 0xFFFF;
        }
        return r < 4 ? R[r] & 0xFF : (R[r - 4] >> 8) & 0xFF;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetReg(int r, int size, uint v)
    {
        if (size == 4)
        {
            R[r] = v;
        }
        else if (size == 2)
        {
            R[r] = (R[r] & 0xFFFF_0000) | (v & 0xFFFF);
        }
        else if (r < 4)
        {
            R[r] = (R[r] & 0xFFFF_FF00) | (v & 0xFF);
        }
        else
        {
            R[r - 4] = (R[r - 4] & 0xFFFF_00FF) | ((v & 0xFF) << 8);
        }
    }

    /// <summary>Reads operand 0 (register or memory) at the operation size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint ReadDst(ref DecodedOp op) =>
        op.K0 == (byte)Opnd.Reg ? GetReg(op.R0, op.Size) : ReadMem(op.Seg, Ea(ref op), op.Size);

    /// <summary>Writes operand 0 (register or memory) at the operation size.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteDst(ref DecodedOp op, uint v)
    {
        if (op.K0 == (byte)Opnd.Reg)
        {
            SetReg(op.R0, op.Size, v);
        }
        else
        {
            WriteMem(op.Seg, Ea(ref op), op.Size, v);
        }
    }

    /// <summary>Reads operand 1 at its own size (register, memory or immediate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint ReadSrc(ref DecodedOp op)
    {
        switch (op.K1)
        {
            case (byte)Opnd.Reg: return GetReg(op.R1, op.SrcSize);
            case (byte)Opnd.Imm: return op.Imm;
            case (byte)Opnd.Mem: return ReadMem(op.Seg, Ea(ref op), op.SrcSize);
            default: return ReadOther(ref op, op.K1, op.R1);
        }
    }

    private uint ReadOther(ref DecodedOp op, byte kind, byte r) => kind switch
    {
        (byte)Opnd.SReg => Seg[r].Selector,
        _ => throw Unimplemented($"operand kind {(Opnd)kind} in {(Iced.Intel.Code)op.Code}"),
    };

    /// <summary>
    /// Starts a read-modify-write of operand 0: for memory, checks the write (segment and page)
    /// before reading, as the hardware does, and returns the linear address in <paramref name="lin"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint RmwRead(ref DecodedOp op, out uint lin)
    {
        if (op.K0 == (byte)Opnd.Reg)
        {
            lin = 0;
            return GetReg(op.R0, op.Size);
        }
        lin = RmwLin(op.Seg, Ea(ref op), op.Size);
        return ReadLin(lin, op.Size);
    }

    /// <summary>
    /// The linear address of a read-modify-write memory operand, its write checked (segment and
    /// page) before anything is read, as the hardware does. <see cref="RmwRead"/> and the compiled
    /// tier's read-modify-write forms both start here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal uint RmwLin(int seg, uint off, int size)
    {
        uint lin = LinWrite(seg, off, size);
        ProbeWrite(lin, size);
        return lin;
    }

    /// <summary>Completes a read-modify-write started by <see cref="RmwRead"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RmwWrite(ref DecodedOp op, uint lin, uint v)
    {
        if (op.K0 == (byte)Opnd.Reg)
        {
            SetReg(op.R0, op.Size, v);
        }
        else
        {
            WriteLin(lin, op.Size, v);
        }
    }

    /// <summary>Sign-extends a value of <paramref name="size"/> bytes to 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint SignExtend(uint v, int size) => size switch
    {
        1 => (uint)(sbyte)v,
        2 => (uint)(short)v,
        _ => v,
    };
}
