using Minix318Emu.Devices.Rtc;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Devices.Storage;

namespace Minix318Emu.Devices.Board;

/// <summary>What the board is built with.</summary>
public sealed record BoardConfig
{
    /// <summary>Where COM1's output goes.</summary>
    public ISerialSink Com1Sink { get; init; } = new NullSerialSink();

    /// <summary>Whether there is a local APIC and an I/O APIC (with an MP table and an ACPI MADT); --no-apic leaves them out.</summary>
    public bool Apic { get; init; } = true;

    /// <summary>Whether the ACPI tables and PM registers are there (--no-acpi leaves them out, for the legacy paths).</summary>
    public bool Acpi { get; init; } = true;

    /// <summary>Where COM2's output goes (nowhere by default).</summary>
    public ISerialSink Com2Sink { get; init; } = new NullSerialSink();

    /// <summary>The RTC time at guest time zero.</summary>
    public DateTime RtcStart { get; init; } = Mc146818Rtc.DefaultStart;

    /// <summary>Floppy drives A: and B: (drive 0 and 1 of the controller), each with its disk; empty for none.</summary>
    public IReadOnlyList<FloppyDrive> Floppies { get; init; } = Array.Empty<FloppyDrive>();

    /// <summary>Disks by slot.</summary>
    public IReadOnlyDictionary<IdeSlot, DiskImage> Disks { get; init; } = new Dictionary<IdeSlot, DiskImage>();
}
