using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Debug;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// Firmware boot: the rom guest (nasm) starts at the reset vector in real mode, enables A20,
/// switches to protected mode and checks it, reporting on the debug console; QEMU's -bios run of
/// the same image must print the same and exit the same way.
/// </summary>
public sealed class FirmwareBootTests
{
    private static readonly string[] s_lines =
    {
        "rom: reset vector reached", "rom: real mode, CR0.PE clear", "rom: protected mode",
        "rom: flat data segment, limit 4 GiB - 1", "rom: A20 on, memory above 1 MiB distinct",
    };

    private static string Rom => Path.Combine(Repo.Guests, "bin", "rom.bin");

    private static (string Console, RunResult Result) Boot()
    {
        BootedPc pc = MachineFactory.BootFirmware(File.ReadAllBytes(Rom), 64u << 20, new BoardConfig());
        var output = new MemoryStream();
        var io = pc.Machine.Io;
        var console = new DebugConsole(0xE9, output, io.DeviceAt(0xE9));
        io.Register(0xE9, 1, console);
        RunResult r = pc.Machine.Run(new RunLimits(10_000_000));
        return (System.Text.Encoding.ASCII.GetString(output.ToArray()), r);
    }

    [Fact]
    public void RomGuest_RunsFromTheResetVector_IntoProtectedMode()
    {
        var (console, r) = Boot();
        Assert.Equal(string.Join("\n", s_lines) + "\n", console);
        Assert.Equal(StopReason.GuestExit, r.Reason);
        Assert.Equal(33, r.ExitCode); // (0x10 << 1) | 1: every check passed
    }

    [Fact]
    public void ResetState_IsTheSdms()
    {
        BootedPc pc = MachineFactory.BootFirmware(File.ReadAllBytes(Rom), 16u << 20, new BoardConfig());
        var cpu = pc.Machine.Cpu;
        Assert.Equal(0xF000, cpu.Seg[Emulator.Processor.SegReg.Cs].Selector);
        Assert.Equal(0xFFFF_0000u, cpu.Seg[Emulator.Processor.SegReg.Cs].Base);
        Assert.Equal(0xFFF0u, cpu.Eip);
        Assert.Equal(0x6000_0010u, cpu.Cr0);                      // CD, NW, ET
        Assert.Equal(Emulator.Processor.Cpu.Signature, cpu.R[Emulator.Processor.Reg.Edx]);
        Assert.Equal(0x0040, cpu.Fpu.Control);                    // x87 after RESET (not FNINIT's 037F)
        Assert.Equal(0xEAu, pc.Machine.Memory.Read8(0xFFFF0));   // the image's reset vector, below 1 MiB too
        Assert.Equal(0xEAu, pc.Machine.Memory.Read8(0xFFFF_FFF0));
    }

    [SkippableFact]
    public void RomGuest_MatchesQemu()
    {
        string? qemu = Repo.Which("qemu-system-i386");
        Skip.If(qemu is null, "qemu-system-i386 is not installed");
        var q = ProcessRunner.Run(qemu!, new[]
        {
            "-m", "64", "-display", "none", "-monitor", "none", "-no-reboot", "-nodefaults",
            "-bios", Rom, "-debugcon", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        }, TimeSpan.FromMinutes(1));
        var (console, r) = Boot();
        Assert.Equal(q.Stdout, console);
        Assert.Equal(q.ExitCode, r.ExitCode);
    }
}
