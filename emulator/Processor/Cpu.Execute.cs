using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;

namespace Minix318Emu.Emulator.Processor;

/// <summary>The interpreter's dispatch: by <see cref="OpForm"/> (specialised forms and group handlers from <see cref="InstructionTable"/>), then one case per mnemonic, delegating to the family files.</summary>
public sealed partial class Cpu
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Execute(ref DecodedOp op)
    {
        ref uint r = ref MemoryMarshal.GetArrayDataReference(R);
        switch ((OpForm)op.Form)
        {
            case OpForm.MovRR:
                Unsafe.Add(ref r, op.R0) = Unsafe.Add(ref r, op.R1);
                return;
            case OpForm.MovRI:
                Unsafe.Add(ref r, op.R0) = op.Imm;
                return;
            case OpForm.MovRM:
                Unsafe.Add(ref r, op.R0) = ReadLin32(LinRead(op.Seg, Ea32(ref op), 4));
                return;
            case OpForm.MovMR:
                WriteLin32(LinWrite(op.Seg, Ea32(ref op), 4), Unsafe.Add(ref r, op.R1));
                return;
            case OpForm.MovMI:
                WriteLin32(LinWrite(op.Seg, Ea32(ref op), 4), op.Imm);
                return;
            case OpForm.AluRR:
            {
                uint v = AluCompute(op.Cc, Unsafe.Add(ref r, op.R0), Unsafe.Add(ref r, op.R1), 4);
                if (op.Cc < Alu.Cmp) Unsafe.Add(ref r, op.R0) = v;
                return;
            }
            case OpForm.AluRI:
            {
                uint v = AluCompute(op.Cc, Unsafe.Add(ref r, op.R0), op.Imm, 4);
                if (op.Cc < Alu.Cmp) Unsafe.Add(ref r, op.R0) = v;
                return;
            }
            case OpForm.AluRM:
            {
                uint s = ReadLin32(LinRead(op.Seg, Ea32(ref op), 4));
                uint v = AluCompute(op.Cc, Unsafe.Add(ref r, op.R0), s, 4);
                if (op.Cc < Alu.Cmp) Unsafe.Add(ref r, op.R0) = v;
                return;
            }
            case OpForm.IncR:
            {
                uint d = Unsafe.Add(ref r, op.R0);
                Unsafe.Add(ref r, op.R0) = d + 1;
                RecordIncDec(LazyOp.Inc, d + 1, d, 4);
                return;
            }
            case OpForm.DecR:
            {
                uint d = Unsafe.Add(ref r, op.R0);
                Unsafe.Add(ref r, op.R0) = d - 1;
                RecordIncDec(LazyOp.Dec, d - 1, d, 4);
                return;
            }
            case OpForm.PushR:
                Push(Unsafe.Add(ref r, op.R0), 4);
                return;
            case OpForm.PushI:
                Push(op.Imm, 4);
                return;
            case OpForm.PopR:
            {
                uint v = Pop(4);
                Unsafe.Add(ref r, op.R0) = v;
                return;
            }
            case OpForm.Jcc:
                if (Cond(op.Cc)) SetNearTarget(_next + op.Imm, 4);
                return;
            case OpForm.JmpRel:
                SetNearTarget(_next + op.Imm, 4);
                return;
            case OpForm.CallRel:
            {
                uint ret = _next;
                SetNearTarget(_next + op.Imm, 4);
                Push(ret, 4);
                return;
            }
            case OpForm.Ret:
                SetNearTarget(PeekStack(0, 4), 4);
                AdjustEsp(4);
                return;
            case OpForm.Lea:
                Unsafe.Add(ref r, op.R0) = Ea32(ref op);
                return;
            case OpForm.MovzxRM8:
                Unsafe.Add(ref r, op.R0) = ReadLin8(LinRead(op.Seg, Ea32(ref op), 1));
                return;
            case OpForm.MovzxRM16:
                Unsafe.Add(ref r, op.R0) = ReadLin16(LinRead(op.Seg, Ea32(ref op), 2));
                return;
            case OpForm.MovzxRR:
                Unsafe.Add(ref r, op.R0) = GetReg(op.R1, op.SrcSize);
                return;
            case OpForm.ShiftRI:
            {
                uint count = op.Imm & 0x1F;
                if (count != 0)
                {
                    Unsafe.Add(ref r, op.R0) = Shift(op.Cc, Unsafe.Add(ref r, op.R0), count, 4);
                }
                return;
            }
            case OpForm.ImulRR:
                Unsafe.Add(ref r, op.R0) = Imul32(Unsafe.Add(ref r, op.R0), Unsafe.Add(ref r, op.R1));
                return;
            case OpForm.ImulRM:
                Unsafe.Add(ref r, op.R0) = Imul32(Unsafe.Add(ref r, op.R0), ReadLin32(LinRead(op.Seg, Ea32(ref op), 4)));
                return;
            case OpForm.JccAny:
                if (Cond(op.Cc)) BranchRel(ref op);
                return;
            case OpForm.SetccAny:
                WriteDst(ref op, Cond(op.Cc) ? 1u : 0u);
                return;
            case OpForm.CmovccAny:
            {
                uint v = ReadSrc(ref op); // the source is read (and may fault) whether or not the move happens
                if (Cond(op.Cc)) SetReg(op.R0, op.Size, v);
                return;
            }
            case OpForm.AluAny:
                ExecAlu(ref op);
                return;
            case OpForm.ShiftAny:
                ExecShift(ref op);
                return;
            case OpForm.X87:
                ExecX87(ref op);
                return;
            case OpForm.Invalid:
                throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
        }
        ExecuteGeneric(ref op);
    }

    private void ExecuteGeneric(ref DecodedOp op)
    {
        switch ((Mnemonic)op.Mn)
        {
            // ---- data movement ----
            case Mnemonic.Mov: ExecMov(ref op); break;
            case Mnemonic.Movzx: SetReg(op.R0, op.Size, ReadSrc(ref op)); break;
            case Mnemonic.Movsx: SetReg(op.R0, op.Size, SignExtend(ReadSrc(ref op), op.SrcSize)); break;
            case Mnemonic.Lea: SetReg(op.R0, op.Size, Ea(ref op)); break;
            case Mnemonic.Xchg: ExecXchg(ref op); break;
            case Mnemonic.Push: ExecPush(ref op); break;
            case Mnemonic.Pop: ExecPop(ref op); break;
            case Mnemonic.Pushad:
            case Mnemonic.Pusha: ExecPusha(op.Size); break;
            case Mnemonic.Popad:
            case Mnemonic.Popa: ExecPopa(op.Size); break;
            case Mnemonic.Pushfd:
            case Mnemonic.Pushf: ExecPushf(op.Size); break;
            case Mnemonic.Popfd:
            case Mnemonic.Popf: ExecPopf(op.Size); break;
            case Mnemonic.Lahf: SetReg(4, 1, (GetFlags() & 0xD5) | 2); break;
            case Mnemonic.Sahf: SetSomeStatusFlags(EFlags.SF | EFlags.ZF | EFlags.AF | EFlags.PF | EFlags.CF, R[Reg.Eax] >> 8); break;
            case Mnemonic.Cbw: SetReg(Reg.Eax, 2, SignExtend(R[Reg.Eax], 1)); break;
            case Mnemonic.Salc: SetReg(Reg.Eax, 1, CF ? 0xFFu : 0); break; // undocumented D6, executed by every IA-32 processor
            case Mnemonic.Cwde: Cwde(); break;
            case Mnemonic.Cwd: SetReg(Reg.Edx, 2, (R[Reg.Eax] & 0x8000) != 0 ? 0xFFFFu : 0); break;
            case Mnemonic.Cdq: Cdq(); break;
            case Mnemonic.Bswap: R[op.R0] = op.Size == 4 ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(R[op.R0]) : R[op.R0] & 0xFFFF_0000; break;
            case Mnemonic.Xlatb: SetReg(Reg.Eax, 1, Read8(op.Seg, ((op.ASize == 2 ? R[Reg.Ebx] & 0xFFFF : R[Reg.Ebx]) + (R[Reg.Eax] & 0xFF)) & (op.ASize == 2 ? 0xFFFFu : 0xFFFF_FFFFu))); break;
            case Mnemonic.Cmpxchg: ExecCmpxchg(ref op); break;
            case Mnemonic.Cmpxchg8b: ExecCmpxchg8b(ref op); break;
            case Mnemonic.Xadd: ExecXadd(ref op); break;
            case Mnemonic.Lds: ExecLoadFarPointer(ref op, SegReg.Ds); break;
            case Mnemonic.Les: ExecLoadFarPointer(ref op, SegReg.Es); break;
            case Mnemonic.Lfs: ExecLoadFarPointer(ref op, SegReg.Fs); break;
            case Mnemonic.Lgs: ExecLoadFarPointer(ref op, SegReg.Gs); break;
            case Mnemonic.Lss: ExecLoadFarPointer(ref op, SegReg.Ss); break;
            case Mnemonic.Enter: ExecEnter(op.Size, op.Imm & 0xFFFF, op.Imm2 & 0x1F); break;
            case Mnemonic.Leave: ExecLeave(op.Size); break;

            // ---- arithmetic ----
            case Mnemonic.Inc: ExecIncDec(ref op, true); break;
            case Mnemonic.Dec: ExecIncDec(ref op, false); break;
            case Mnemonic.Neg: ExecNeg(ref op); break;
            case Mnemonic.Not: ExecNot(ref op); break;
            case Mnemonic.Mul: ExecMul(ref op); break;
            case Mnemonic.Imul: ExecImul(ref op); break;
            case Mnemonic.Div: ExecDiv(ref op); break;
            case Mnemonic.Idiv: ExecIdiv(ref op); break;
            case Mnemonic.Daa: ExecDaa(); break;
            case Mnemonic.Das: ExecDas(); break;
            case Mnemonic.Aaa: ExecAaaAas(true); break;
            case Mnemonic.Aas: ExecAaaAas(false); break;
            case Mnemonic.Aam: ExecAam(op.Imm); break;
            case Mnemonic.Aad: ExecAad(op.Imm); break;

            // ---- shifts and bits ----
            case Mnemonic.Shld: ExecShld(ref op, true); break;
            case Mnemonic.Shrd: ExecShld(ref op, false); break;
            case Mnemonic.Bt: ExecBt(ref op, 0); break;
            case Mnemonic.Bts: ExecBt(ref op, 1); break;
            case Mnemonic.Btr: ExecBt(ref op, 2); break;
            case Mnemonic.Btc: ExecBt(ref op, 3); break;
            case Mnemonic.Bsf: ExecBsf(ref op, false); break;
            case Mnemonic.Bsr: ExecBsf(ref op, true); break;
            // F3 0F BC/BD are TZCNT/LZCNT only with BMI1/ABM, which CPUID does not report: without them the
            // REP prefix is ignored and they are BSF/BSR, as on every older processor (Linux's __ffs relies on it).
            case Mnemonic.Tzcnt: ExecBsf(ref op, false); break;
            case Mnemonic.Lzcnt: ExecBsf(ref op, true); break;

            // ---- strings ----
            case Mnemonic.Movsb: case Mnemonic.Movsw: case Mnemonic.Movsd: ExecString(ref op, StrMovs); break;
            case Mnemonic.Cmpsb: case Mnemonic.Cmpsw: case Mnemonic.Cmpsd: ExecString(ref op, StrCmps); break;
            case Mnemonic.Stosb: case Mnemonic.Stosw: case Mnemonic.Stosd: ExecString(ref op, StrStos); break;
            case Mnemonic.Lodsb: case Mnemonic.Lodsw: case Mnemonic.Lodsd: ExecString(ref op, StrLods); break;
            case Mnemonic.Scasb: case Mnemonic.Scasw: case Mnemonic.Scasd: ExecString(ref op, StrScas); break;
            case Mnemonic.Insb: case Mnemonic.Insw: case Mnemonic.Insd: ExecString(ref op, StrIns); break;
            case Mnemonic.Outsb: case Mnemonic.Outsw: case Mnemonic.Outsd: ExecString(ref op, StrOuts); break;

            // ---- control flow ----
            case Mnemonic.Jmp: ExecJmp(ref op); break;
            case Mnemonic.Call: ExecCall(ref op); break;
            case Mnemonic.Ret: ExecRet(ref op); break;
            case Mnemonic.Retf: ExecRetf(op.Size, op.K0 == (byte)Opnd.Imm ? op.Imm & 0xFFFF : 0); break;
            case Mnemonic.Jcxz:
                if ((R[Reg.Ecx] & 0xFFFF) == 0) BranchRel(ref op);
                break;
            case Mnemonic.Jecxz:
                if (R[Reg.Ecx] == 0) BranchRel(ref op);
                break;
            case Mnemonic.Loop: ExecLoop(ref op, 0); break;
            case Mnemonic.Loope: ExecLoop(ref op, 1); break;
            case Mnemonic.Loopne: ExecLoop(ref op, 2); break;
            case Mnemonic.Int: SoftwareInterrupt((int)(op.Imm & 0xFF), checkDpl: true, ioplSensitive: true); break;
            case Mnemonic.Int3: SoftwareInterrupt(ExceptionVectors.Breakpoint, checkDpl: true); break;
            case Mnemonic.Int1: SoftwareInterrupt(ExceptionVectors.Debug, checkDpl: false); break;
            case Mnemonic.Into:
                if (OF) SoftwareInterrupt(ExceptionVectors.Overflow, checkDpl: true);
                break;
            case Mnemonic.Iret:
            case Mnemonic.Iretd: ExecIret(op.Size); break;
            case Mnemonic.Bound: ExecBound(ref op); break;

            // ---- flags ----
            case Mnemonic.Clc: SetSomeStatusFlags(EFlags.CF, 0); break;
            case Mnemonic.Stc: SetSomeStatusFlags(EFlags.CF, EFlags.CF); break;
            case Mnemonic.Cmc: SetSomeStatusFlags(EFlags.CF, CF ? 0 : EFlags.CF); break;
            case Mnemonic.Cld: FlagsOther &= ~EFlags.DF; break;
            case Mnemonic.Std: FlagsOther |= EFlags.DF; break;
            case Mnemonic.Cli: ExecCli(); break;
            case Mnemonic.Sti: ExecSti(); break;

            // ---- I/O ----
            case Mnemonic.In: ExecIn(ref op); break;
            case Mnemonic.Out: ExecOut(ref op); break;

            // ---- system ----
            case Mnemonic.Hlt: ExecHlt(); break;
            case Mnemonic.Nop:
            case Mnemonic.Pause:
            case Mnemonic.Prefetchnta:
            case Mnemonic.Prefetcht0:
            case Mnemonic.Prefetcht1:
            case Mnemonic.Prefetcht2:
                break;
            case Mnemonic.Cpuid: ExecCpuid(); break;
            case Mnemonic.Rdtsc: ExecRdtsc(); break;
            case Mnemonic.Rdmsr: ExecRdmsr(); break;
            case Mnemonic.Wrmsr: ExecWrmsr(); break;
            case Mnemonic.Sysenter: ExecSysenter(); break;
            case Mnemonic.Sysexit: ExecSysexit(); break;
            case Mnemonic.Lgdt: ExecLoadTableRegister(ref op, idt: false); break;
            case Mnemonic.Lidt: ExecLoadTableRegister(ref op, idt: true); break;
            case Mnemonic.Sgdt: ExecStoreTableRegister(ref op, idt: false); break;
            case Mnemonic.Sidt: ExecStoreTableRegister(ref op, idt: true); break;
            case Mnemonic.Lldt: ExecLldt(ref op); break;
            case Mnemonic.Sldt: RequireProtectedMode(); ExecStoreSelector(ref op, Ldtr.Selector); break; // #UD in real and virtual-8086 mode
            case Mnemonic.Ltr: ExecLtr(ref op); break;
            case Mnemonic.Str: RequireProtectedMode(); ExecStoreSelector(ref op, Tr.Selector); break;
            case Mnemonic.Lmsw: ExecLmsw(ref op); break;
            case Mnemonic.Smsw: ExecStoreSelector(ref op, (ushort)Cr0, zeroExtend: false, value32: Cr0); break;
            case Mnemonic.Clts: RequireCpl0(); Cr0 &= ~ControlRegs.Cr0TS; break;
            case Mnemonic.Invlpg: RequireCpl0(); FlushTlbPage(Seg[op.Seg].Base + Ea(ref op)); break;
            case Mnemonic.Invd:
            case Mnemonic.Wbinvd: RequireCpl0(); break;
            case Mnemonic.Lar: ExecLarLsl(ref op, lsl: false); break;
            case Mnemonic.Lsl: ExecLarLsl(ref op, lsl: true); break;
            case Mnemonic.Verr: ExecVerrVerw(ref op, write: false); break;
            case Mnemonic.Verw: ExecVerrVerw(ref op, write: true); break;
            case Mnemonic.Arpl: ExecArpl(ref op); break;
            case Mnemonic.Wait: ExecWait(); break;
            default:
                // MMX, SSE and everything newer: not advertised by CPUID, so the hardware answer is #UD.
                throw _fault.Set(ExceptionVectors.InvalidOpcode, -1);
        }
    }
}
