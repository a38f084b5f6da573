using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Debug;

/// <summary>
/// The debug console (QEMU's -debugcon): every byte the guest writes to its port goes to a
/// stream (a file, or standard output). Reads return 0xE9 at 0xE9, as Bochs and QEMU answer so a
/// guest can detect it, and all ones elsewhere; a device already on the port (port 0x80's POST
/// latch) still sees the accesses.
/// </summary>
public sealed class DebugConsole : IPortDevice, IDisposable
{
    private readonly Stream _out;
    private readonly IPortDevice? _previous;
    private readonly ushort _port;

    public DebugConsole(ushort port, Stream output, IPortDevice? previous)
    {
        _port = port;
        _out = output;
        _previous = previous;
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size) =>
        _previous?.Read(port, size) ?? (_port == 0xE9 ? 0xE9u : size == 4 ? 0xFFFF_FFFFu : (1u << (8 * size)) - 1);

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        _out.WriteByte((byte)value);
        _previous?.Write(port, size, value);
    }

    public void Dispose() => _out.Flush();
}
