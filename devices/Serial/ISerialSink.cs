namespace Minix318Emu.Devices.Serial;

/// <summary>Where a UART's transmitted bytes go.</summary>
public interface ISerialSink
{
    /// <summary>Receives one transmitted byte.</summary>
    void Write(byte b);

    /// <summary>Flushes buffered output.</summary>
    void Flush();
}
