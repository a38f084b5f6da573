using Iced.Intel;

namespace Minix318Emu.Cli.Conformance;

/// <summary>
/// Which x87 registers an instruction reads, and whether it pushes or pops: enough to keep
/// generated sequences free of stack overflow and underflow.
/// </summary>
internal static class X87StackModel
{
    /// <summary>Applies the instruction to the in-use mask (bit i = ST(i)); false if it would fault on the stack.</summary>
    public static bool Apply(in Instruction ins, ref int stack)
    {
        Mnemonic mn = ins.Mnemonic;
        int sti = -1;
        for (int k = 0; k < ins.OpCount; k++)
        {
            // The ST(i) operand is the one that is not the implicit ST(0) (or ST(0) itself, as in FLD ST(0)).
            if (ins.GetOpKind(k) == OpKind.Register && ins.GetOpRegister(k) is >= Register.ST0 and <= Register.ST7 && (sti <= 0))
            {
                sti = ins.GetOpRegister(k) - Register.ST0;
            }
        }
        int inUse = stack;
        bool Valid(int i) => (inUse & (1 << i)) != 0;
        int reads = mn switch
        {
            Mnemonic.Fnstsw or Mnemonic.Fnstcw or Mnemonic.Fldcw or Mnemonic.Fnclex or Mnemonic.Fninit or Mnemonic.Fnstenv or Mnemonic.Fnop or Mnemonic.Fxam => 0,
            Mnemonic.Fld or Mnemonic.Fild or Mnemonic.Fbld or Mnemonic.Fld1 or Mnemonic.Fldz or Mnemonic.Fldpi or Mnemonic.Fldl2t
                or Mnemonic.Fldl2e or Mnemonic.Fldlg2 or Mnemonic.Fldln2 => 0,
            Mnemonic.Fcompp or Mnemonic.Fucompp or Mnemonic.Fscale or Mnemonic.Fprem or Mnemonic.Fprem1
                or Mnemonic.Fpatan or Mnemonic.Fyl2x or Mnemonic.Fyl2xp1 => 0b11,
            _ => 0b1,
        };
        // Every ST(i) operand must be in use; for FST ST(i) that is not the SDM's rule but QEMU's:
        // it copies the value without tagging the destination valid, so an empty destination would diverge.
        if (sti >= 0)
        {
            reads |= 1 << sti;
        }
        for (int i = 0; i < 8; i++)
        {
            if ((reads & (1 << i)) != 0 && !Valid(i))
            {
                return false;
            }
        }
        switch (mn)
        {
            case Mnemonic.Fninit:
                stack = 0;
                return true;
            case Mnemonic.Fld:
            case Mnemonic.Fild:
            case Mnemonic.Fbld:
            case Mnemonic.Fld1:
            case Mnemonic.Fldz:
            case Mnemonic.Fldpi:
            case Mnemonic.Fldl2t:
            case Mnemonic.Fldl2e:
            case Mnemonic.Fldlg2:
            case Mnemonic.Fldln2:
            case Mnemonic.Fptan:
            case Mnemonic.Fsincos:
            case Mnemonic.Fxtract:
                if (Valid(7))
                {
                    return false;
                }
                stack = ((stack << 1) | 1) & 0xFF;
                return true;
        }
        int pops = mn switch
        {
            Mnemonic.Fcompp or Mnemonic.Fucompp => 2,
            Mnemonic.Fstp or Mnemonic.Fistp or Mnemonic.Fbstp or Mnemonic.Fcomp or Mnemonic.Fucomp or Mnemonic.Ficomp or Mnemonic.Fcomip
                or Mnemonic.Fucomip or Mnemonic.Faddp or Mnemonic.Fsubp or Mnemonic.Fsubrp or Mnemonic.Fmulp or Mnemonic.Fdivp
                or Mnemonic.Fdivrp or Mnemonic.Fpatan or Mnemonic.Fyl2x or Mnemonic.Fyl2xp1 => 1,
            _ => 0,
        };
        stack >>= pops;
        return true;
    }
}
