using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Emulator.Processor.Compiler;

/// <summary>
/// The RAM writes of one block run, in order, with the bytes each replaced: what the tier
/// checker compares between the two tiers and undoes between their runs.
/// </summary>
internal sealed class WriteJournal
{
    private readonly List<(uint Phys, int Size, uint Old, uint New)> _writes = new();

    /// <summary>Whether the run reached a device (a port, memory-mapped I/O, ROM): it cannot be run again.</summary>
    public bool DeviceTouched;

    /// <summary>The writes recorded, oldest first.</summary>
    public IReadOnlyList<(uint Phys, int Size, uint Old, uint New)> Writes => _writes;

    public void Record(uint phys, int size, uint old, uint value) => _writes.Add((phys, size, old, value));

    public void Clear()
    {
        _writes.Clear();
        DeviceTouched = false;
    }

    /// <summary>Puts back what the recorded writes replaced, newest first.</summary>
    public void Undo(PhysicalMemory memory)
    {
        for (int i = _writes.Count - 1; i >= 0; i--)
        {
            var (phys, size, old, _) = _writes[i];
            memory.Write(phys, size, old);
        }
    }

    /// <summary>The first place the two journals' writes differ (address, size, value), or null when they wrote the same.</summary>
    public static string? FirstDifference(WriteJournal a, WriteJournal b)
    {
        int n = Math.Min(a._writes.Count, b._writes.Count);
        for (int i = 0; i < n; i++)
        {
            var x = a._writes[i];
            var y = b._writes[i];
            if (x.Phys != y.Phys || x.Size != y.Size || x.New != y.New)
            {
                return $"write {i}: interpreter [{x.Phys:X8}]/{x.Size} = {x.New:X}, compiled [{y.Phys:X8}]/{y.Size} = {y.New:X}";
            }
        }
        return a._writes.Count == b._writes.Count ? null : $"the interpreter wrote {a._writes.Count} times, the compiled code {b._writes.Count} times";
    }
}
