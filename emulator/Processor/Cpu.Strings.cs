namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// String instructions with REP/REPE/REPNE and both address sizes. A repeated instruction runs
/// in chunks: when a chunk ends with the count not exhausted, EIP stays on the instruction, so
/// interrupts are taken between chunks and a fault leaves ECX/ESI/EDI at the faulting element,
/// as the SDM requires. Each element counts as one retired instruction for the virtual clock.
/// </summary>
public sealed partial class Cpu
{
    internal const int StrMovs = 0, StrCmps = 1, StrStos = 2, StrLods = 3, StrScas = 4, StrIns = 5, StrOuts = 6;

    /// <summary>Elements per chunk of a repeated string instruction.</summary>
    private const int StringChunk = 4096;

    private void ExecString(ref DecodedOp op, int kind)
    {
        if (op.Rep == 0)
        {
            StringElement(ref op, kind);
            return;
        }
        bool a32 = op.ASize == 4;
        uint count = a32 ? R[Reg.Ecx] : R[Reg.Ecx] & 0xFFFF;
        int done = 0;
        bool conditional = kind is StrCmps or StrScas;
        int chunk = (FlagsOther & EFlags.TF) != 0 ? 1 : StringChunk; // single-stepping traps after each iteration
        while (count != 0 && done < chunk)
        {
            StringElement(ref op, kind);
            count--;
            done++;
            if (a32)
            {
                R[Reg.Ecx] = count;
            }
            else
            {
                R[Reg.Ecx] = (R[Reg.Ecx] & 0xFFFF_0000) | count;
            }
            if (conditional && (op.Rep == 1 ? !ZF : ZF))
            {
                count = 0; // the REPE/REPNE condition ended the repetition
                break;
            }
            if (_exitBlock)
            {
                break; // a breakpoint or watchpoint hit, or the code changed: stop after this element
            }
        }
        if (done > 1)
        {
            InstructionCount += (ulong)(done - 1);
        }
        if (count != 0)
        {
            _next = Eip; // not finished: run the instruction again after pending interrupts
        }
    }

    private void StringElement(ref DecodedOp op, int kind)
    {
        int size = op.Size;
        bool a32 = op.ASize == 4;
        uint si = a32 ? R[Reg.Esi] : R[Reg.Esi] & 0xFFFF;
        uint di = a32 ? R[Reg.Edi] : R[Reg.Edi] & 0xFFFF;
        uint step = DF ? (uint)-size : (uint)size;
        int srcSeg = op.Seg;
        switch (kind)
        {
            case StrMovs:
            {
                uint v = ReadMem(srcSeg, si, size);
                WriteMem(SegReg.Es, di, size, v);
                AdvanceSi(si + step, a32);
                AdvanceDi(di + step, a32);
                break;
            }
            case StrCmps:
            {
                uint a = ReadMem(srcSeg, si, size);
                uint b = ReadMem(SegReg.Es, di, size);
                AluCompute(Alu.Cmp, a, b, size);
                AdvanceSi(si + step, a32);
                AdvanceDi(di + step, a32);
                break;
            }
            case StrStos:
                WriteMem(SegReg.Es, di, size, GetReg(Reg.Eax, size));
                AdvanceDi(di + step, a32);
                break;
            case StrLods:
                SetReg(Reg.Eax, size, ReadMem(srcSeg, si, size));
                AdvanceSi(si + step, a32);
                break;
            case StrScas:
                AluCompute(Alu.Cmp, GetReg(Reg.Eax, size), ReadMem(SegReg.Es, di, size), size);
                AdvanceDi(di + step, a32);
                break;
            case StrIns:
            {
                ushort port = (ushort)R[Reg.Edx];
                CheckIoPermission(port, size);
                uint lin = LinWrite(SegReg.Es, di, size);
                ProbeWrite(lin, size);
                WriteLin(lin, size, _io.Read(port, size));
                AdvanceDi(di + step, a32);
                break;
            }
            default: // OUTS
            {
                ushort port = (ushort)R[Reg.Edx];
                CheckIoPermission(port, size);
                _io.Write(port, size, ReadMem(srcSeg, si, size));
                AdvanceSi(si + step, a32);
                break;
            }
        }
    }

    private void AdvanceSi(uint v, bool a32) => R[Reg.Esi] = a32 ? v : (R[Reg.Esi] & 0xFFFF_0000) | (v & 0xFFFF);

    private void AdvanceDi(uint v, bool a32) => R[Reg.Edi] = a32 ? v : (R[Reg.Edi] & 0xFFFF_0000) | (v & 0xFFFF);
}
