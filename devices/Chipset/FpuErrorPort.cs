using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Chipset;

/// <summary>
/// The PC's x87 error wiring: the CPU's FERR# output drives IRQ 13 (when CR0.NE is clear), and
/// a write to port 0xF0 clears the latch (the "IGNNE" write an IRQ 13 handler does). Reads
/// return all ones like an unclaimed port.
/// </summary>
public sealed partial class FpuErrorPort : IPortDevice
{
    /// <summary>The port that clears the FERR# latch (0xF0).</summary>
    public const ushort Port = 0xF0;

    private readonly Emulator.Processor.Cpu _cpu;
    private readonly IInterruptLine _irq13;

    /// <summary>Connects <paramref name="cpu"/>'s FERR# output to <paramref name="irq13"/> (the line follows FERR# from now on).</summary>
    public FpuErrorPort(Emulator.Processor.Cpu cpu, IInterruptLine irq13)
    {
        _cpu = cpu;
        _irq13 = irq13;
        cpu.FerrChanged = level => _irq13.Set(level);
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size) => size == 4 ? 0xFFFF_FFFFu : (1u << (8 * size)) - 1;

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value) => _cpu.ClearFerr();
}
