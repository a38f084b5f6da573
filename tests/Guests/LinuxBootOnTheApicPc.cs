using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>The Linux boot on the APIC PC (its own class, so the two boots run in parallel).</summary>
public sealed class LinuxBootOnTheApicPc : LinuxBootTests
{
    protected override bool Apic => true;
}
