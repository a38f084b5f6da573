namespace Minix318Emu.Emulator.Interrupts;

/// <summary>An interrupt request line from a device to an interrupt controller.</summary>
public interface IInterruptLine
{
    /// <summary>Drives the line high (true) or low (false). Edge-triggered inputs latch a rising edge.</summary>
    void Set(bool level);
}

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
