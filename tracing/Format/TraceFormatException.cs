namespace Minix318Emu.Tracing.Format;

/// <summary>A trace that cannot be read; says how far it is readable.</summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TraceFormatException(string message) : base(message)
    {
    }
}
