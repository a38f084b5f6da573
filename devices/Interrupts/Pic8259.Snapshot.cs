using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Interrupts;

/// <summary>One 8259A in a snapshot: input levels, IRR/ISR/IMR, the initialisation sequence's position and the modes.</summary>
public sealed partial class Pic8259 : ISnapshotState
{
    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        _lines = s.U8(_lines);
        _initStep = s.I32(_initStep);
        _needIcw4 = s.Bool(_needIcw4);
        _readIsr = s.Bool(_readIsr);
        _pollNext = s.Bool(_pollNext);
        _rotateOnAutoEoi = s.Bool(_rotateOnAutoEoi);
        Irr = s.U8(Irr);
        Isr = s.U8(Isr);
        Imr = s.U8(Imr);
        VectorBase = s.U8(VectorBase);
        LevelTriggered = s.U8(LevelTriggered);
        PriorityAdd = s.I32(PriorityAdd);
        AutoEoi = s.Bool(AutoEoi);
        SpecialMask = s.Bool(SpecialMask);
        SpecialFullyNested = s.Bool(SpecialFullyNested);
        Single = s.Bool(Single);
    }
}
