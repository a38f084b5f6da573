using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// The apic guest: MP tables found and checked, the IMCR switched, the local APIC timer measured
/// against the PIT (62 500 counts per 10 ms at divide-by-16 of the 100 MHz guest clock) and
/// firing about ten times in 100 ms, COM1's interrupt through I/O APIC pin 4; with --no-apic the
/// tables are absent. QEMU must agree on every line but the board's own.
/// </summary>
public sealed class ApicGuestTests
{
    private static (string Serial, RunResult Result) Boot(bool apic)
    {
        var sink = new MemorySerialSink();
        BootedPc pc = MachineFactory.Boot(Repo.Guest("apic"), "", Array.Empty<ModuleSpec>(), 64u << 20, new BoardConfig { Com1Sink = sink, Apic = apic });
        RunResult r = pc.Machine.Run(new RunLimits(2_000_000_000));
        return (sink.Text, r);
    }

    [Fact]
    public void MpTables_LapicTimer_AndIoApicRouting()
    {
        var (serial, r) = Boot(apic: true);
        Assert.Equal(1, r.ExitCode);
        foreach (string line in new[]
        {
            "mp: floating pointer found, checksum ok", "mp: configuration table checksum ok", "mp: processors: 0x00000001",
            "mp: I/O APICs: 0x00000001", "mp: I/O APIC address: 0xfec00000", "apic: version: 0x00000014",
            "apic: I/O APIC redirection entries: 0x00000018", "board: apic counts per 10 ms: 0x0000f4",
            "timing: apic periodic timer, about 10 interrupts in 100 ms", "ioapic: COM1 interrupt through pin 4", "apic: spurious: 0x00000000",
        })
        {
            Assert.Contains(line, serial);
        }
    }

    [Fact]
    public void WithoutApic_ThereIsNoMpTable()
    {
        var (serial, _) = Boot(apic: false);
        Assert.Contains("mp: no floating pointer", serial);
    }

    [SkippableFact]
    public void Output_MatchesQemu_ExceptTheBoardsOwnLines()
    {
        string? qemu = Repo.Which("qemu-system-i386");
        Skip.If(qemu is null, "qemu-system-i386 is not installed");
        var q = Qemu.RunKernel(qemu!, Repo.Guest("apic"));
        var (serial, r) = Boot(apic: true);
        Assert.Equal(Qemu.WithoutBoardLines(q.Stdout), Qemu.WithoutBoardLines(serial));
        Assert.Equal(q.ExitCode, r.ExitCode);
    }
}
