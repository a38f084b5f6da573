using Iced.Intel;

namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// Chooses the <see cref="CompiledForm"/> of a decoded instruction: the interpreter's specialised
/// form where it has one, otherwise a compiled form picked from the mnemonic, the operand kinds
/// and sizes, and <see cref="CompiledForm.Interpreted"/> for everything else (system
/// instructions, strings, x87, far transfers, 16-bit addressing, LOCK-prefixed instructions).
/// </summary>
internal static class FormSelection
{
    public static CompiledForm Select(in DecodedOp op)
    {
        var form = (OpForm)op.Form;
        if (form is >= OpForm.MovRR and <= OpForm.ImulRM)
        {
            return (CompiledForm)(form - OpForm.MovRR + (int)CompiledForm.MovRR);
        }
        var k0 = (Opnd)op.K0;
        var k1 = (Opnd)op.K1;
        var k2 = (Opnd)op.K2;
        var mn = (Mnemonic)op.Mn;
        if (mn is Mnemonic.Nop or Mnemonic.Pause or Mnemonic.Prefetchnta or Mnemonic.Prefetcht0 or Mnemonic.Prefetcht1 or Mnemonic.Prefetcht2)
        {
            return CompiledForm.Nop; // no access, whatever the operand
        }
        // EaFixed is 32-bit addressing; the interpreter alone gives LOCK a meaning it might check.
        if (op.Lock != 0 || ((k0 == Opnd.Mem || k1 == Opnd.Mem) && op.ASize != 4))
        {
            return CompiledForm.Interpreted;
        }
        bool sameSizes = op.SrcSize == op.Size || k1 is Opnd.Imm or Opnd.None;
        switch (form)
        {
            case OpForm.AluAny:
                if (!sameSizes || k2 != Opnd.None)
                {
                    return CompiledForm.Interpreted;
                }
                return (k0, k1) switch
                {
                    (Opnd.Reg, Opnd.Reg) => CompiledForm.AluSizedRR,
                    (Opnd.Reg, Opnd.Imm) => CompiledForm.AluSizedRI,
                    (Opnd.Reg, Opnd.Mem) => CompiledForm.AluSizedRM,
                    (Opnd.Mem, Opnd.Reg) => CompiledForm.AluMR,
                    (Opnd.Mem, Opnd.Imm) => CompiledForm.AluMI,
                    _ => CompiledForm.Interpreted,
                };
            case OpForm.SetccAny:
                return k0 == Opnd.Reg ? CompiledForm.SetccR : k0 == Opnd.Mem ? CompiledForm.SetccM : CompiledForm.Interpreted;
            case OpForm.CmovccAny:
                return !sameSizes || k0 != Opnd.Reg ? CompiledForm.Interpreted
                    : k1 == Opnd.Reg ? CompiledForm.CmovRR : k1 == Opnd.Mem ? CompiledForm.CmovRM : CompiledForm.Interpreted;
            case OpForm.ShiftAny:
                if (op.Cc is not (4 or 5 or 7))
                {
                    return CompiledForm.Interpreted; // the rotates keep some flags: the interpreter's own path
                }
                return (k0, k1) switch
                {
                    (Opnd.Reg, Opnd.Reg) when op.R1 == Reg.Ecx => CompiledForm.ShiftRC,
                    (Opnd.Mem, Opnd.Reg) when op.R1 == Reg.Ecx => CompiledForm.ShiftM,
                    (Opnd.Mem, Opnd.Imm) => CompiledForm.ShiftM,
                    _ => CompiledForm.Interpreted, // a register by an immediate at 8 or 16 bits
                };
            case OpForm.Generic:
                break;
            default:
                return CompiledForm.Interpreted;
        }
        switch (mn)
        {
            case Mnemonic.Mov:
                if (!sameSizes)
                {
                    return CompiledForm.Interpreted;
                }
                return (k0, k1) switch
                {
                    (Opnd.Reg, Opnd.Reg) => CompiledForm.MovSizedRR,
                    (Opnd.Reg, Opnd.Imm) => CompiledForm.MovSizedRI,
                    (Opnd.Reg, Opnd.Mem) => CompiledForm.MovSizedRM,
                    (Opnd.Mem, Opnd.Reg) => CompiledForm.MovSizedMR,
                    (Opnd.Mem, Opnd.Imm) => CompiledForm.MovSizedMI,
                    _ => CompiledForm.Interpreted, // segment, control and debug registers
                };
            case Mnemonic.Movsx or Mnemonic.Movzx:
                return k0 != Opnd.Reg ? CompiledForm.Interpreted
                    : k1 == Opnd.Reg ? CompiledForm.ExtendRR : k1 == Opnd.Mem ? CompiledForm.ExtendRM : CompiledForm.Interpreted;
            case Mnemonic.Xchg:
                return !sameSizes || k1 != Opnd.Reg ? CompiledForm.Interpreted
                    : k0 == Opnd.Reg ? CompiledForm.XchgRR : k0 == Opnd.Mem ? CompiledForm.XchgMR : CompiledForm.Interpreted;
            case Mnemonic.Cwde:
                return CompiledForm.Cwde;
            case Mnemonic.Cdq:
                return CompiledForm.Cdq;
            case Mnemonic.Push:
                return k0 == Opnd.Mem && op.Size == 4 ? CompiledForm.PushM : CompiledForm.Interpreted;
            case Mnemonic.Inc or Mnemonic.Dec or Mnemonic.Neg or Mnemonic.Not:
                return k0 == Opnd.Reg ? CompiledForm.UnaryR : k0 == Opnd.Mem ? CompiledForm.UnaryM : CompiledForm.Interpreted;
            case Mnemonic.Mul or Mnemonic.Div or Mnemonic.Idiv:
                return MulDiv(k0, k1);
            case Mnemonic.Imul:
                if (k1 == Opnd.None)
                {
                    return MulDiv(k0, k1);
                }
                if (op.Size != 4 || k0 != Opnd.Reg)
                {
                    return CompiledForm.Interpreted;
                }
                return (k1, k2) switch
                {
                    (Opnd.Reg, Opnd.Imm) => CompiledForm.ImulRRI,
                    (Opnd.Mem, Opnd.Imm) => CompiledForm.ImulRMI,
                    (Opnd.Reg, Opnd.None) => CompiledForm.ImulRR,
                    (Opnd.Mem, Opnd.None) => CompiledForm.ImulRM,
                    _ => CompiledForm.Interpreted,
                };
            case Mnemonic.Bt or Mnemonic.Bts or Mnemonic.Btr or Mnemonic.Btc:
                if (!sameSizes)
                {
                    return CompiledForm.Interpreted;
                }
                return (k0, k1) switch
                {
                    (Opnd.Reg, Opnd.Reg) => CompiledForm.BtRR,
                    (Opnd.Reg, Opnd.Imm) => CompiledForm.BtRI,
                    (Opnd.Mem, Opnd.Reg) => CompiledForm.BtMR,
                    (Opnd.Mem, Opnd.Imm) => CompiledForm.BtMI,
                    _ => CompiledForm.Interpreted,
                };
        }
        return (Code)op.Code switch
        {
            Code.Jmp_rm32 => k0 == Opnd.Reg ? CompiledForm.JmpR : k0 == Opnd.Mem ? CompiledForm.JmpM : CompiledForm.Interpreted,
            Code.Call_rm32 => k0 == Opnd.Reg ? CompiledForm.CallR : k0 == Opnd.Mem ? CompiledForm.CallM : CompiledForm.Interpreted,
            _ => CompiledForm.Interpreted,
        };
    }

    private static CompiledForm MulDiv(Opnd k0, Opnd k1) =>
        k1 != Opnd.None ? CompiledForm.Interpreted
        : k0 == Opnd.Reg ? CompiledForm.MulDivR : k0 == Opnd.Mem ? CompiledForm.MulDivM : CompiledForm.Interpreted;

    /// <summary>The <c>kind</c> argument of the unary, multiply/divide and bit-test forms.</summary>
    public static int KindOf(in DecodedOp op) => (Mnemonic)op.Mn switch
    {
        Mnemonic.Inc => Cpu.UnaryInc,
        Mnemonic.Dec => Cpu.UnaryDec,
        Mnemonic.Neg => Cpu.UnaryNeg,
        Mnemonic.Not => Cpu.UnaryNot,
        Mnemonic.Mul => Cpu.MulDivMul,
        Mnemonic.Imul => Cpu.MulDivImul,
        Mnemonic.Div => Cpu.MulDivDiv,
        Mnemonic.Idiv => Cpu.MulDivIdiv,
        Mnemonic.Bt => 0,
        Mnemonic.Bts => 1,
        Mnemonic.Btr => 2,
        Mnemonic.Btc => 3,
        Mnemonic.Movsx => 1,
        _ => 0, // MOVZX
    };
}
