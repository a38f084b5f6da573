using Minix318Emu.Emulator.Io;
using Serilog;

namespace Minix318Emu.Devices.Chipset;

/// <summary>Port 0x80: POST codes. Writes are logged at debug level (and commonly used as an I/O delay); reads return the last code.</summary>
public sealed partial class PostCodePort : IPortDevice
{
    private byte _last;

    /// <inheritdoc/>
    public uint Read(ushort port, int size) => _last;

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        _last = (byte)value;
        if (Log.IsEnabled(Serilog.Events.LogEventLevel.Debug))
        {
            Log.Debug("POST code {Code:X2}", _last);
        }
    }
}
