namespace Minix318Emu.Devices.Serial;

/// <summary>A sink that drops everything.</summary>
public sealed class NullSerialSink : ISerialSink
{
    /// <inheritdoc/>
    public void Write(byte b)
    {
    }

    /// <inheritdoc/>
    public void Flush()
    {
    }
}
