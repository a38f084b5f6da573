namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// A processor exception raised while executing an instruction (#GP, #PF, ...). It unwinds
/// the instruction; the CPU then delivers the vector to the guest. One instance per CPU is
/// reused, so faults do not allocate.
/// </summary>
public sealed class CpuFault : Exception
{
    /// <summary>The exception vector (0-31).</summary>
    public int Vector { get; private set; }

    /// <summary>The error code pushed with the exception, or -1 when the vector pushes none.</summary>
    public int ErrorCode { get; private set; }

    internal CpuFault Set(int vector, int errorCode)
    {
        Vector = vector;
        ErrorCode = errorCode;
        return this;
    }

    /// <inheritdoc/>
    public override string Message => $"{ExceptionVectors.Name(Vector)}{(ErrorCode >= 0 ? $"(0x{ErrorCode:X})" : "")}";
}
