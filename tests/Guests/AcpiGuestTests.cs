using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Firmware;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Clock;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// The acpi guest finds the tables as an OS does (RSDP search, RSDT, FACP, FACS, DSDT, checksums),
/// parses \_S5 and powers off through PM1a_CNT: the run ends as a power-off with exit code 0.
/// Where qemu-system-i386 is installed its output must match ours except the board's own lines.
/// </summary>
public sealed class AcpiGuestTests
{
    private static (string Serial, RunResult Result) Boot(bool acpi)
    {
        var sink = new MemorySerialSink();
        BootedPc pc = MachineFactory.Boot(Repo.Guest("acpi"), "", Array.Empty<ModuleSpec>(), 64u << 20,
            new BoardConfig { Com1Sink = sink, Acpi = acpi });
        RunResult r = pc.Machine.Run(new RunLimits(2_000_000_000));
        return (sink.Text, r);
    }

    [Fact]
    public void Guest_FindsCheckedTables_AndPowersOffThroughS5()
    {
        var (serial, r) = Boot(acpi: true);
        foreach (string line in new[]
        {
            "acpi: RSDP found, checksum ok", "acpi: RSDT checksum ok", "acpi: FACP checksum ok", "acpi: DSDT checksum ok",
            "acpi: FACS found", "acpi: FACS length ok", "acpi: FACS 64-byte aligned", "acpi: FACS waking vectors clear",
            "acpi: FACS global lock free",
            "acpi: _S5 found", "board: SLP_TYP: 0x00000005", "acpi: PM timer advances", "acpi: SCI_EN set", "acpi: powering off",
        })
        {
            Assert.Contains(line, serial);
        }
        Assert.DoesNotContain("still running", serial);
        Assert.Equal(StopReason.PowerOff, r.Reason);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void WithoutAcpi_TheGuestFindsNoRsdp()
    {
        var (serial, r) = Boot(acpi: false);
        Assert.Contains("acpi: no RSDP", serial);
        Assert.Equal(StopReason.GuestExit, r.Reason);
    }

    [SkippableFact]
    public void Output_MatchesQemu_ExceptTheBoardsOwnLines()
    {
        string? qemu = Repo.Which("qemu-system-i386");
        Skip.If(qemu is null, "qemu-system-i386 is not installed");
        var q = Qemu.RunKernel(qemu!, Repo.Guest("acpi"));
        var (serial, r) = Boot(acpi: true);
        Assert.Equal(Qemu.WithoutBoardLines(q.Stdout), Qemu.WithoutBoardLines(serial));
        Assert.Equal(0, q.ExitCode); // QEMU powered off too
        Assert.Equal(q.ExitCode, r.ExitCode);
    }

    [Fact]
    public void PmRegisters_TimerRunsAt3579545Hz_StatusClearsByWritingOnes()
    {
        ulong ticks = 0;
        var clock = new VirtualClock(() => ticks, 100_000_000);
        bool off = false;
        var pm = new AcpiPm(clock, () => off = true);
        var bus = new IoBus();
        pm.Attach(bus);
        ticks = 100_000_000; // one guest second
        Assert.Equal(3_579_545u & 0xFF_FFFF, bus.Read(AcpiPm.PmTimerBlock, 4));
        Assert.Equal(1u, bus.Read(AcpiPm.Pm1aControlBlock, 2) & 1); // SCI_EN
        bus.Write(AcpiPm.Pm1aControlBlock, 2, (3 << 10) | 0x2000);  // S3: not soft-off
        Assert.False(off);
        bus.Write(AcpiPm.Pm1aControlBlock, 2, (AcpiTables.SoftOffType << 10) | 0x2000);
        Assert.True(off);
        Assert.Equal(0u, bus.Read(AcpiPm.Pm1aControlBlock, 2) & 0x2000); // SLP_EN reads zero
    }
}
