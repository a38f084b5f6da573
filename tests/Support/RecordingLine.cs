using Minix318Emu.Emulator.Interrupts;

namespace Minix318Emu.Tests.Support;

/// <summary>An interrupt line that remembers its level and counts rising edges, for devices tested without a PIC.</summary>
internal sealed class RecordingLine : IInterruptLine
{
    public bool Level;
    public int Rises;

    public void Set(bool level)
    {
        if (level && !Level)
        {
            Rises++;
        }
        Level = level;
    }
}
