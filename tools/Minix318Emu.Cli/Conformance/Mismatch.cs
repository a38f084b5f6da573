using System.Diagnostics;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Conformance;

/// <summary>A mismatch: the case, what it ran, and every field that differs.</summary>
public sealed record Mismatch(int Index, string Family, string Text, IReadOnlyList<string> Differences, KnownDeviation Known);
