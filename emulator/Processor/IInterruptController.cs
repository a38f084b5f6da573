namespace Minix318Emu.Emulator.Processor;

/// <summary>What the CPU sees of the interrupt controller: the INTR line and the INTA cycle.</summary>
public interface IInterruptController
{
    /// <summary>Whether INTR is asserted.</summary>
    bool InterruptPending { get; }

    /// <summary>The interrupt-acknowledge cycle: returns the vector and updates the controller's in-service state.</summary>
    int Acknowledge();
}
