using Iced.Intel;
using Minix318Emu.Emulator.Fpu;

namespace Minix318Emu.Emulator.Processor;

/// <summary>x87 memory operands: the numeric formats, and the environment and state images of FNSTENV/FNSAVE/FXSAVE.</summary>
public sealed partial class Cpu
{
    private readonly byte[] _fpuImage = new byte[512];

    private ulong ReadMem64(int seg, uint off)
    {
        uint lin = LinRead(seg, off, 8);
        return ReadLin32(lin) | ((ulong)ReadLin32(lin + 4) << 32);
    }

    /// <summary>Reads <paramref name="count"/> bytes of an operand into the scratch image, checking the whole range first.</summary>
    private Span<byte> ReadFpuBytes(int seg, uint off, int count)
    {
        uint lin = LinRead(seg, off, count);
        Span<byte> b = _fpuImage.AsSpan(0, count);
        for (int i = 0; i < count; i++)
        {
            b[i] = ReadLin8(lin + (uint)i);
        }
        return b;
    }

    /// <summary>Writes the scratch image; the whole range is checked (segment and pages) before any byte is stored.</summary>
    private void WriteFpuBytes(int seg, uint off, int count)
    {
        uint lin = LinWrite(seg, off, count);
        ProbeWrite(lin, count);
        for (int i = 0; i < count; i++)
        {
            WriteLin8(lin + (uint)i, _fpuImage[i]);
        }
    }

    private void WriteMem64(int seg, uint off, ulong v)
    {
        uint lin = LinWrite(seg, off, 8);
        ProbeWrite(lin, 8);
        WriteLin32(lin, (uint)v);
        WriteLin32(lin + 4, (uint)(v >> 32));
    }

    /// <summary>Loads a memory operand of any numeric format, converting to extended (SNaN and denormal loads raise IE and DE).</summary>
    private Float80 LoadFpuOperand(ref DecodedOp op, ref FpStatus st)
    {
        uint off = Ea(ref op);
        switch ((MemorySize)op.Imm2)
        {
            case MemorySize.Float32: return SoftFloat.FromFloat32(Read32(op.Seg, off), ref st);
            case MemorySize.Float64: return SoftFloat.FromFloat64(ReadMem64(op.Seg, off), ref st);
            case MemorySize.Float80: return Float80.Read(ReadFpuBytes(op.Seg, off, 10));
            case MemorySize.Int16: return SoftFloat.FromInt64((short)Read16(op.Seg, off));
            case MemorySize.Int32: return SoftFloat.FromInt64((int)Read32(op.Seg, off));
            case MemorySize.Int64: return SoftFloat.FromInt64((long)ReadMem64(op.Seg, off));
            case MemorySize.Bcd: return SoftFloat.FromBcd(ReadFpuBytes(op.Seg, off, 10));
            default: throw Unimplemented($"x87 memory operand {(MemorySize)op.Imm2} in {(Code)op.Code}");
        }
    }

    /// <summary>
    /// Stores ST(0) in the operand's format. Returns false when an unmasked exception (invalid,
    /// denormal, or overflow/underflow on a narrowing store) leaves memory unchanged.
    /// </summary>
    private bool StoreFpuOperand(ref DecodedOp op, Float80 v, bool ok, ref FpStatus st)
    {
        uint off = Ea(ref op);
        var size = (MemorySize)op.Imm2;
        switch (size)
        {
            case MemorySize.Float80:
                if (st.PreventsResult)
                {
                    return false;
                }
                v.Write(_fpuImage);
                WriteFpuBytes(op.Seg, off, 10);
                return true;
            case MemorySize.Bcd:
            {
                Span<byte> scratch = stackalloc byte[10];
                if (ok)
                {
                    SoftFloat.ToBcd(v, scratch, ref st);
                }
                else
                {
                    SoftFloat.ToBcd(Float80.Indefinite, scratch, ref st);
                }
                if (st.PreventsResult)
                {
                    return false;
                }
                scratch.CopyTo(_fpuImage);
                WriteFpuBytes(op.Seg, off, 10);
                return true;
            }
        }
        ulong bits = size switch
        {
            MemorySize.Float32 => SoftFloat.ToFloat32(v, ref st),
            MemorySize.Float64 => SoftFloat.ToFloat64(v, ref st),
            MemorySize.Int16 => (ulong)SoftFloat.ToInt(v, 16, ref st),
            MemorySize.Int32 => (ulong)SoftFloat.ToInt(v, 32, ref st),
            MemorySize.Int64 => (ulong)SoftFloat.ToInt(v, 64, ref st),
            _ => throw Unimplemented($"x87 memory operand {size} in {(Code)op.Code}"),
        };
        if (st.PreventsResult || (st.Flags & ~st.Masks & (FpStatus.Overflow | FpStatus.Underflow)) != 0)
        {
            return false;
        }
        switch (size)
        {
            case MemorySize.Int16: Write16(op.Seg, off, (ushort)bits); break;
            case MemorySize.Float32:
            case MemorySize.Int32: Write32(op.Seg, off, (uint)bits); break;
            default: WriteMem64(op.Seg, off, bits); break;
        }
        return true;
    }

    // ---- FNSTENV / FLDENV / FNSAVE / FRSTOR ------------------------------------------------

    private bool FpuImage32(ref DecodedOp op) => (MemorySize)op.Imm2 is MemorySize.FpuEnv28 or MemorySize.FpuState108;

    /// <summary>Writes the environment (14 or 28 bytes, real-mode or protected-mode layout) into the scratch image; returns its length.</summary>
    private int BuildFpuEnvironment(bool image32)
    {
        Span<byte> b = _fpuImage;
        b[..28].Clear();
        ushort ip = (ushort)Fpu.InstructionPointer, dp = (ushort)Fpu.OperandPointer;
        if (ProtectedMode)
        {
            if (image32)
            {
                Put32(b, 0, Fpu.Control);
                Put32(b, 4, Fpu.Status);
                Put32(b, 8, Fpu.TagWord);
                Put32(b, 12, Fpu.InstructionPointer);
                Put32(b, 16, Fpu.InstructionSelector | ((uint)(Fpu.Opcode & 0x7FF) << 16));
                Put32(b, 20, Fpu.OperandPointer);
                Put32(b, 24, Fpu.OperandSelector);
                return 28;
            }
            Put16(b, 0, Fpu.Control);
            Put16(b, 2, Fpu.Status);
            Put16(b, 4, Fpu.TagWord);
            Put16(b, 6, ip);
            Put16(b, 8, Fpu.InstructionSelector);
            Put16(b, 10, dp);
            Put16(b, 12, Fpu.OperandSelector);
            return 14;
        }
        // Real mode: 20-bit linear pointers split around the opcode.
        uint ipLin = ((uint)Fpu.InstructionSelector << 4) + (Fpu.InstructionPointer & 0xFFFF);
        uint dpLin = ((uint)Fpu.OperandSelector << 4) + (Fpu.OperandPointer & 0xFFFF);
        if (image32)
        {
            Put32(b, 0, Fpu.Control);
            Put32(b, 4, Fpu.Status);
            Put32(b, 8, Fpu.TagWord);
            Put32(b, 12, (ipLin & 0xFFFF));
            Put32(b, 16, ((ipLin >> 16) << 12) | (uint)(Fpu.Opcode & 0x7FF));
            Put32(b, 20, (dpLin & 0xFFFF));
            Put32(b, 24, (dpLin >> 16) << 12);
            return 28;
        }
        Put16(b, 0, Fpu.Control);
        Put16(b, 2, Fpu.Status);
        Put16(b, 4, Fpu.TagWord);
        Put16(b, 6, (ushort)ipLin);
        Put16(b, 8, (ushort)(((ipLin >> 16) << 12) | (uint)(Fpu.Opcode & 0x7FF)));
        Put16(b, 10, (ushort)dpLin);
        Put16(b, 12, (ushort)((dpLin >> 16) << 12));
        return 14;
    }

    /// <summary>Loads an environment image already read into <paramref name="b"/>.</summary>
    private void ApplyFpuEnvironment(ReadOnlySpan<byte> b, bool image32)
    {
        int w = image32 ? 4 : 2;
        Fpu.Control = Get16(b, 0);
        Fpu.Status = Get16(b, w);
        Fpu.TagWord = Get16(b, 2 * w);
        if (ProtectedMode)
        {
            Fpu.InstructionPointer = image32 ? Get32(b, 12) : Get16(b, 6);
            Fpu.InstructionSelector = Get16(b, 4 * w);
            if (image32)
            {
                Fpu.Opcode = (ushort)((Get32(b, 16) >> 16) & 0x7FF);
            }
            Fpu.OperandPointer = image32 ? Get32(b, 20) : Get16(b, 10);
            Fpu.OperandSelector = Get16(b, 6 * w);
        }
        else
        {
            uint hiIp = image32 ? Get32(b, 16) : Get16(b, 8);
            uint hiDp = image32 ? Get32(b, 24) : Get16(b, 12);
            Fpu.InstructionPointer = Get16(b, 3 * w) | ((hiIp >> 12) << 16);
            Fpu.Opcode = (ushort)(hiIp & 0x7FF);
            Fpu.OperandPointer = Get16(b, 5 * w) | ((hiDp >> 12) << 16);
            Fpu.InstructionSelector = Fpu.OperandSelector = 0;
        }
        Fpu.UpdateSummary();
    }

    private void StoreFpuEnvironment(ref DecodedOp op)
    {
        int n = BuildFpuEnvironment(FpuImage32(ref op));
        WriteFpuBytes(op.Seg, Ea(ref op), n);
    }

    private void LoadFpuEnvironment(ref DecodedOp op)
    {
        bool image32 = FpuImage32(ref op);
        ApplyFpuEnvironment(ReadFpuBytes(op.Seg, Ea(ref op), image32 ? 28 : 14), image32);
    }

    private void StoreFpuState(ref DecodedOp op)
    {
        int n = BuildFpuEnvironment(FpuImage32(ref op));
        for (int i = 0; i < 8; i++)
        {
            Fpu.St(i).Write(_fpuImage.AsSpan(n + 10 * i, 10));
        }
        WriteFpuBytes(op.Seg, Ea(ref op), n + 80);
    }

    private void LoadFpuState(ref DecodedOp op)
    {
        bool image32 = FpuImage32(ref op);
        int n = image32 ? 28 : 14;
        Span<byte> b = ReadFpuBytes(op.Seg, Ea(ref op), n + 80);
        ApplyFpuEnvironment(b, image32); // sets TOP first, so ST(i) below are the new stack's
        for (int i = 0; i < 8; i++)
        {
            Fpu.St(i) = Float80.Read(b.Slice(n + 10 * i, 10));
        }
    }

    // ---- FXSAVE / FXRSTOR ---------------------------------------------------------------

    private void ExecFxsave(ref DecodedOp op)
    {
        uint off = Ea(ref op);
        if ((off & 15) != 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        Span<byte> b = ReadFpuBytes(op.Seg, off, 512); // the XMM area is kept as it is: there is no SSE
        b[..160].Clear();
        Put16(b, 0, Fpu.Control);
        Put16(b, 2, Fpu.Status);
        b[4] = (byte)~Fpu.EmptyMask; // abridged tag: one bit per physical register, 1 = not empty
        Put16(b, 6, (ushort)(Fpu.Opcode & 0x7FF));
        Put32(b, 8, Fpu.InstructionPointer);
        Put16(b, 12, Fpu.InstructionSelector);
        Put32(b, 16, Fpu.OperandPointer);
        Put16(b, 20, Fpu.OperandSelector);
        for (int i = 0; i < 8; i++)
        {
            Fpu.St(i).Write(b.Slice(32 + 16 * i, 10));
        }
        WriteFpuBytes(op.Seg, off, 512);
    }

    private void ExecFxrstor(ref DecodedOp op)
    {
        uint off = Ea(ref op);
        if ((off & 15) != 0)
        {
            throw _fault.Set(ExceptionVectors.GeneralProtection, 0);
        }
        Span<byte> b = ReadFpuBytes(op.Seg, off, 160);
        Fpu.Control = Get16(b, 0);
        Fpu.Status = Get16(b, 2);
        Fpu.EmptyMask = (byte)~b[4];
        Fpu.Opcode = (ushort)(Get16(b, 6) & 0x7FF);
        Fpu.InstructionPointer = Get32(b, 8);
        Fpu.InstructionSelector = Get16(b, 12);
        Fpu.OperandPointer = Get32(b, 16);
        Fpu.OperandSelector = Get16(b, 20);
        for (int i = 0; i < 8; i++)
        {
            Fpu.St(i) = Float80.Read(b.Slice(32 + 16 * i, 10));
        }
        Fpu.UpdateSummary();
    }

    private static void Put16(Span<byte> b, int at, ushort v) => System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(b[at..], v);

    private static void Put32(Span<byte> b, int at, uint v) => System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b[at..], v);

    private static ushort Get16(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

    private static uint Get32(ReadOnlySpan<byte> b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
}
