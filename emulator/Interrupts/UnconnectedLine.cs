namespace Minix318Emu.Emulator.Interrupts;

/// <summary>A line connected to nothing (a device whose IRQ is not wired).</summary>
public sealed class UnconnectedLine : IInterruptLine
{
    /// <summary>The shared instance.</summary>
    public static readonly UnconnectedLine Instance = new();

    /// <inheritdoc/>
    public void Set(bool level)
    {
    }
}
