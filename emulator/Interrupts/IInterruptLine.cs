namespace Minix318Emu.Emulator.Interrupts;

/// <summary>An interrupt request line from a device to an interrupt controller.</summary>
public interface IInterruptLine
{
    /// <summary>Drives the line high (true) or low (false). Edge-triggered inputs latch a rising edge.</summary>
    void Set(bool level);
}
