using Minix318Emu.Emulator.Processor.Compiler;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The physical accesses of the memory slow paths, and the journal the tier checker keeps of
/// them. With a journal set, the software TLB holds no write entries, so every data write of an
/// instruction reaches <see cref="PhysWrite"/> and is recorded with the bytes it replaced (the
/// page walker's accessed and dirty bits are not: they are the same whichever tier runs, and
/// setting them twice is setting them once). An access that is not to RAM reaches a device,
/// which cannot be run twice, and is noted as such. Without a journal each access is the
/// memory's own.
/// </summary>
public sealed partial class Cpu
{
    private WriteJournal? _journal;

    /// <summary>The journal of data writes, for the tier checker; null normally.</summary>
    internal WriteJournal? Journal
    {
        get => _journal;
        set
        {
            _journal = value;
            FlushTlb(); // drop the write entries (or let them be made again)
        }
    }

    /// <summary>Makes <paramref name="journal"/> the one recording, without the TLB flush of setting <see cref="Journal"/> (one was already set).</summary>
    internal void SwapJournal(WriteJournal journal) => _journal = journal;

    /// <summary>
    /// Whether the block about to run must end after its first instruction: an interrupt request
    /// changed between blocks (a device's event). The interpreter honours it after whatever the
    /// first instruction is; compiled code tests the request only after instructions that can
    /// make one, so such a block runs in the interpreter.
    /// </summary>
    internal bool BlockExitRequested => _exitBlock;

    /// <summary>Forgets a request to end the running block (the checker rewinds between runs).</summary>
    internal void ClearBlockExit() => _exitBlock = false;

    /// <summary>The translation epoch: changes whenever a linear address may map elsewhere.</summary>
    internal uint Epoch => _epoch;

    private uint PhysRead(uint phys, int size)
    {
        if (_journal is { } j && !_mem.IsWritableRam(phys))
        {
            j.DeviceTouched = true;
        }
        return _mem.Read(phys, size);
    }

    private void PhysWrite(uint phys, int size, uint value)
    {
        if (_journal is { } j)
        {
            if (_mem.IsWritableRam(phys) && _mem.IsWritableRam(phys + (uint)size - 1))
            {
                j.Record(phys, size, _mem.Read(phys, size), value);
            }
            else
            {
                j.DeviceTouched = true;
            }
        }
        _mem.Write(phys, size, value);
    }
}
