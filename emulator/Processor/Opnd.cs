using System.Runtime.InteropServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>Kinds of a decoded operand.</summary>
internal enum Opnd : byte
{
    None,
    /// <summary>A general register of the operand's size (number in R0/R1/R2; 8-bit numbers 4-7 are AH..BH).</summary>
    Reg,
    /// <summary>The memory operand described by Seg/Base/Index/Scale/Disp.</summary>
    Mem,
    /// <summary>An immediate, already sign- or zero-extended (Imm, or Imm2 for a second one).</summary>
    Imm,
    /// <summary>A segment register.</summary>
    SReg,
    /// <summary>A control register.</summary>
    Cr,
    /// <summary>A debug register.</summary>
    Dr,
    /// <summary>A near branch: Imm holds the displacement from the next instruction.</summary>
    Rel,
    /// <summary>A far pointer: Imm holds the offset, Imm2 the selector.</summary>
    Far,
    /// <summary>A string source (seg:[E]SI) or destination (ES:[E]DI); address size in ASize.</summary>
    Str,
    /// <summary>An x87 stack register.</summary>
    St,
}
