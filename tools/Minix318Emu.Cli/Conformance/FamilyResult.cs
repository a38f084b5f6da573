using System.Diagnostics;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Conformance;

/// <summary>One family's line of the results table.</summary>
public sealed record FamilyResult(string Family, int Cases, int Mismatches, int Faulted, int Known);
