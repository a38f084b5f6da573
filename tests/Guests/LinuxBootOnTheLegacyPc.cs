using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>The Linux boot on the legacy PC.</summary>
public sealed class LinuxBootOnTheLegacyPc : LinuxBootTests
{
    protected override bool Apic => false;
}
