using Minix318Emu.Devices.Debug;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Interrupts;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Devices.Board;

/// <summary>Wires the PC devices to a machine's buses: COM1 and the exit device.</summary>
public sealed class PcBoard
{
    /// <summary>COM1's base port.</summary>
    public const ushort Com1Port = 0x3F8;

    /// <summary>Attaches the devices to <paramref name="machine"/>.</summary>
    public PcBoard(PcMachine machine, ISerialSink com1Sink, IInterruptLine? com1Irq = null)
    {
        Machine = machine;
        Com1 = new Uart16550(Com1Port, com1Sink, com1Irq ?? UnconnectedLine.Instance);
        machine.Io.Register(Com1Port, 8, Com1);
        Exit = new ExitDevice(machine);
        machine.Io.Register(ExitDevice.DefaultPort, 4, Exit);
    }

    /// <summary>The machine.</summary>
    public PcMachine Machine { get; }

    /// <summary>The first serial port (the console).</summary>
    public Uart16550 Com1 { get; }

    /// <summary>The exit device.</summary>
    public ExitDevice Exit { get; }
}
