namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// Which instructions of a block must record their status flags. A record is dead when a later
/// instruction of the same block overwrites all six status flags and nothing in between can
/// observe them: no instruction reads them (Jcc, SETcc, CMOVcc, ADC/SBB, INC/DEC keep CF, the
/// interpreter's dispatch), none can fault (the handler would see EFLAGS), leave the block, or
/// reach a device. Only then is a record left out, so at every point where the guest or the
/// interpreter can look at EFLAGS, the flags are exactly the interpreter's. The scan runs
/// backwards from the block's end, where the flags are always live.
/// </summary>
internal static class FlagLiveness
{
    private enum Effect
    {
        Transparent, // neither reads nor writes the status flags, cannot fault or leave
        WritesAll,   // writes all six and reads none, cannot fault or leave
        Observes,    // anything else: reads them, or they may be seen (fault, exit, branch, device)
    }

    /// <summary>For each instruction, whether its flags can be seen before something overwrites them.</summary>
    public static bool[] Needed(Block block, CompiledForm[] forms)
    {
        var needed = new bool[block.Count];
        bool deadAfter = false; // at the block's end the flags are live
        for (int i = block.Count - 1; i >= 0; i--)
        {
            // A form that touches memory can end the block right after itself (a watchpoint, a data
            // breakpoint's #DB trap, a device raising an interrupt): its own flags are then seen.
            needed[i] = !deadAfter || forms[i] is CompiledForm.AluRM or CompiledForm.ImulRM;
            switch (EffectOf(forms[i], in block.Ops[i]))
            {
                case Effect.WritesAll:
                    deadAfter = true;
                    break;
                case Effect.Observes:
                    deadAfter = false;
                    break;
            }
        }
        return needed;
    }

    private static Effect EffectOf(CompiledForm form, in DecodedOp op)
    {
        switch (form)
        {
            case CompiledForm.Nop or CompiledForm.MovRR or CompiledForm.MovRI or CompiledForm.Lea or CompiledForm.MovzxRR
                or CompiledForm.MovSizedRR or CompiledForm.MovSizedRI or CompiledForm.ExtendRR or CompiledForm.XchgRR
                or CompiledForm.Cwde or CompiledForm.Cdq:
                return Effect.Transparent;
            case CompiledForm.AluRR or CompiledForm.AluRI or CompiledForm.AluSizedRR or CompiledForm.AluSizedRI:
                return op.Cc is Alu.Adc or Alu.Sbb ? Effect.Observes : Effect.WritesAll;
            case CompiledForm.ShiftRI:
                // SHL/SHR/SAR by a constant: a count of 0 changes nothing; any other sets all six (Shift).
                return (op.Imm & 0x1F) == 0 ? Effect.Transparent : Effect.WritesAll;
            case CompiledForm.ImulRR or CompiledForm.ImulRRI:
                return Effect.WritesAll; // SetMulFlags: all six, explicitly
            case CompiledForm.UnaryR:
                return FormSelection.KindOf(in op) == Cpu.UnaryNot ? Effect.Transparent : Effect.Observes; // NEG is rare; INC/DEC read CF
            default:
                return Effect.Observes;
        }
    }
}
