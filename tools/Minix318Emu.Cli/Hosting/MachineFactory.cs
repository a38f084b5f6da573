using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Hosting;

/// <summary>Builds a PC and boots a multiboot kernel into it, leaving the CPU in the state the Multiboot specification defines.</summary>
public static class MachineFactory
{
    /// <summary>Creates the machine with a default board (no disks) whose console goes to <paramref name="serial"/>.</summary>
    public static BootedPc Boot(string kernel, string commandLine, IReadOnlyList<ModuleSpec> modules, uint ramBytes, ISerialSink serial, ulong ticksPerSecond = PcMachine.DefaultTicksPerSecond) =>
        Boot(kernel, commandLine, modules, ramBytes, new BoardConfig { Com1Sink = serial }, ticksPerSecond);

    /// <summary>Creates the machine and its board, and loads the kernel and modules.</summary>
    public static BootedPc Boot(string kernel, string commandLine, IReadOnlyList<ModuleSpec> modules, uint ramBytes, BoardConfig board, ulong ticksPerSecond = PcMachine.DefaultTicksPerSecond)
    {
        BootImage image = MultibootLoader.Load(kernel, commandLine, modules, ramBytes);
        var machine = new PcMachine(ramBytes, ticksPerSecond);
        var pc = new PcBoard(machine, board);
        pc.WriteLegacyBiosState();
        Apply(machine, image);
        return new BootedPc(machine, pc, image);
    }

    /// <summary>
    /// Creates the machine and its board and starts a kernel a boot loader has already placed
    /// (the built-in MINIX loader's multiboot image), in the state the Multiboot specification defines.
    /// </summary>
    public static BootedPc BootLoaded(BootImage image, uint ramBytes, BoardConfig board, ulong ticksPerSecond = PcMachine.DefaultTicksPerSecond)
    {
        var machine = new PcMachine(ramBytes, ticksPerSecond);
        var pc = new PcBoard(machine, board);
        pc.WriteLegacyBiosState();
        Apply(machine, image);
        return new BootedPc(machine, pc, image);
    }

    /// <summary>
    /// Creates the machine and its board with a firmware image at the reset vector: the CPU
    /// starts in the state a hardware reset gives (real mode, CS:IP F000:FFF0 with CS base
    /// 0xFFFF0000), the BIOS shadow registers in theirs (the ROM answers below 1 MiB). The
    /// firmware owns the BIOS area, so no ACPI tables are written there; it finds the board
    /// through fw_cfg, which offers <paramref name="vgaBios"/> as the VGA option ROM if given.
    /// </summary>
    public static BootedPc BootFirmware(byte[] rom, uint ramBytes, BoardConfig board, ulong ticksPerSecond = PcMachine.DefaultTicksPerSecond, byte[]? vgaBios = null)
    {
        var machine = new PcMachine(ramBytes, ticksPerSecond);
        var pc = new PcBoard(machine, board with { Acpi = false });
        pc.MapFirmware(rom, vgaBios);
        machine.Cpu.Reset();
        return new BootedPc(machine, pc, null);
    }

    /// <summary>Creates the machine and boots a Linux bzImage through the 32-bit boot protocol.</summary>
    public static BootedPc BootLinux(string kernel, string? initrd, string commandLine, uint ramBytes, BoardConfig board, ulong ticksPerSecond = PcMachine.DefaultTicksPerSecond)
    {
        BootImage image = Images.Linux.LinuxLoader.Load(kernel, initrd, commandLine, ramBytes);
        var machine = new PcMachine(ramBytes, ticksPerSecond);
        var pc = new PcBoard(machine, board);
        pc.WriteLegacyBiosState();
        Apply(machine, image);
        return new BootedPc(machine, pc, image);
    }

    /// <summary>Copies the image into RAM and sets the entry state (Multiboot 0.6.96, section 3.2).</summary>
    public static void Apply(PcMachine machine, BootImage image)
    {
        foreach (var chunk in image.Chunks)
        {
            machine.Memory.WriteBytes(chunk.Address, chunk.Data);
            for (uint i = 0; i < chunk.ZeroFill; i++)
            {
                machine.Memory.Write8(chunk.Address + (uint)chunk.Data.Length + i, 0);
            }
        }
        Cpu cpu = machine.Cpu;
        machine.Memory.SetA20(true);
        cpu.GdtBase = image.GdtBase;
        cpu.GdtLimit = image.GdtLimit;
        cpu.WriteCr0ForBoot(ControlRegs.Cr0PE | ControlRegs.Cr0ET);
        cpu.LoadFlatSegment(SegReg.Cs, image.CodeSelector, code: true);
        foreach (int s in new[] { SegReg.Ds, SegReg.Es, SegReg.Fs, SegReg.Gs, SegReg.Ss })
        {
            cpu.LoadFlatSegment(s, image.DataSelector, code: false);
        }
        cpu.SetFlags(EFlags.Reserved1);
        cpu.R[Reg.Eax] = image.Eax;
        cpu.R[Reg.Ebx] = image.Ebx;
        cpu.R[Reg.Esi] = image.Esi;
        cpu.Eip = image.Entry;
    }
}
