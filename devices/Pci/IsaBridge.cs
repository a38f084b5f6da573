using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Pci;

/// <summary>The PIIX3 PCI-to-ISA bridge (00:01.0), a multi-function device.</summary>
public sealed class IsaBridge : PciFunction
{
    /// <summary>Creates the function.</summary>
    public IsaBridge() : base(0x8086, 0x7000, 0x06_01_00, 0x00, headerType: 0x80)
    {
        Set16(0x04, 0x0007);
    }
}
