using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Debug;

/// <summary>
/// The debug console (QEMU's -debugcon): every byte the guest writes to its port goes to a
/// stream (a file, or standard output). Byte reads return 0xE9 at any port, as QEMU's debugcon
/// answers (its readback, so a guest can detect it: SeaBIOS silences its 0x402 log otherwise);
/// a device already on the port (port 0x80's POST latch) still sees the accesses and answers reads.
/// </summary>
public sealed class DebugConsole : IPortDevice, IDisposable, Emulator.Snapshots.ISnapshotState
{
    private readonly Stream _out;
    private readonly IPortDevice? _previous;

    /// <summary>A console on <paramref name="port"/> writing to <paramref name="output"/>; <paramref name="previous"/> is the device that was registered on the port, if any, which keeps seeing the accesses.</summary>
    public DebugConsole(ushort port, Stream output, IPortDevice? previous)
    {
        Port = port;
        _out = output;
        _previous = previous;
    }

    /// <summary>The port it listens on.</summary>
    public ushort Port { get; }

    /// <summary>Host output only: nothing to save (the device it shadows on the port saves its own state).</summary>
    public void SyncState(Emulator.Snapshots.StateSync s)
    {
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size) =>
        _previous?.Read(port, size) ?? (size == 1 ? 0xE9u : size == 4 ? 0xFFFF_FFFFu : (1u << (8 * size)) - 1);

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        _out.WriteByte((byte)value);
        _previous?.Write(port, size, value);
    }

    /// <summary>Flushes the output; the stream itself belongs to whoever opened it.</summary>
    public void Dispose() => _out.Flush();
}
