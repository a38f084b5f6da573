namespace Minix318Emu.Emulator.Machine;

/// <summary>Thrown from inside the CPU or a device to end the run in an orderly way.</summary>
public sealed class MachineStopException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MachineStopException(StopReason reason, string message) : base(message) => Reason = reason;

    /// <summary>Why the run ends.</summary>
    public StopReason Reason { get; }
}
