using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Devices.Debug;

/// <summary>
/// The exit device, compatible with QEMU's isa-debug-exit: a write of V ends the run with
/// process exit code (V &lt;&lt; 1) | 1, so the same guest ends the same way under both.
/// </summary>
public sealed partial class ExitDevice : IPortDevice
{
    /// <summary>The default port, as QEMU's isa-debug-exit is usually configured.</summary>
    public const ushort DefaultPort = 0xF4;

    private readonly PcMachine _machine;

    /// <summary>Creates the device for <paramref name="machine"/>.</summary>
    public ExitDevice(PcMachine machine) => _machine = machine;

    /// <inheritdoc/>
    public uint Read(ushort port, int size) => size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFF_FFFFu;

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        int code = (int)((value << 1) | 1) & 0xFF; // a process exit status has 8 bits
        _machine.Stop(StopReason.GuestExit, code, $"guest exit with value {value} (exit code {code})");
    }
}
