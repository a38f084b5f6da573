using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Io;

namespace Minix318Emu.Devices.Pci;

/// <summary>
/// The i440FX host bridge (00:00.0), as a PC of the PIIX era presents it, with QEMU's
/// subsystem identity (1AF4:1100, which SeaBIOS checks to know it runs on QEMU's board) and the
/// PAM registers (59h-5Fh) that shadow the BIOS area.
/// </summary>
public sealed class HostBridge : PciFunction
{
    private readonly Chipset.PamShadow? _pam;

    /// <summary>Creates the function; <paramref name="pam"/> takes the PAM registers (none: they read 0 and ignore writes).</summary>
    public HostBridge(Chipset.PamShadow? pam = null) : base(0x8086, 0x1237, 0x06_00_00, 0x02)
    {
        Set16(0x04, 0x0006); // memory space and bus master
        Set16(0x2C, 0x1AF4); // subsystem vendor: Red Hat (QEMU's default for every PCI device)
        Set16(0x2E, 0x1100); // subsystem: QEMU virtual machine
        _pam = pam;
        if (pam is not null)
        {
            for (int i = 0; i < Chipset.PamShadow.Registers; i++)
            {
                int at = Chipset.PamShadow.FirstRegister + i;
                SetByte(at, pam.Register(i));
                Writable(at, 1, i == 0 ? 0x30u : 0x33u);
            }
        }
    }

    /// <inheritdoc/>
    protected override void ConfigChanged(int offset, uint before, uint after)
    {
        if (_pam is null)
        {
            return;
        }
        for (int i = 0; i < 4; i++)
        {
            int at = offset + i;
            byte b = (byte)(before >> (8 * i)), a = (byte)(after >> (8 * i));
            if (a != b && at >= Chipset.PamShadow.FirstRegister && at < Chipset.PamShadow.FirstRegister + Chipset.PamShadow.Registers)
            {
                _pam.SetRegister(at - Chipset.PamShadow.FirstRegister, a);
            }
        }
    }
}
