using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Processor;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Hosting;

/// <summary>A booted PC: the machine, its board and what the loader placed in memory.</summary>
public sealed record BootedPc(PcMachine Machine, PcBoard Board, BootImage? Image);
