using Minix318Emu.Devices.Board;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Tests.Devices;

/// <summary>The assembled board: COM2 at its port and the CMOS equipment bytes.</summary>
public sealed class PcBoardTests
{
    [Fact]
    public void Board_HasCom2AtItsPort_AndNoFloppyInCmos()
    {
        var machine = new PcMachine(16u << 20);
        using var board = new PcBoard(machine, new BoardConfig());
        machine.Io.Write(0x2FF, 1, 0x5A);        // COM2's scratch register
        Assert.Equal(0x5Au, machine.Io.Read(0x2FF, 1));
        machine.Io.Write(0x70, 1, 0x10);
        Assert.Equal(0u, machine.Io.Read(0x71, 1)); // no floppy drives
        machine.Io.Write(0x70, 1, 0x14);
        Assert.Equal(0x02u, machine.Io.Read(0x71, 1) & 0x03); // equipment: an FPU, no floppy
    }
}
