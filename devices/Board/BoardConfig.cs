using Minix318Emu.Devices.Rtc;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Devices.Storage;

namespace Minix318Emu.Devices.Board;

/// <summary>An IDE slot: channel 0 (primary) or 1 (secondary), unit 0 (master) or 1 (slave).</summary>
public readonly record struct IdeSlot(int Channel, int Unit)
{
    /// <summary>Parses primary-master, pm, primary-slave, ps, secondary-master, sm, secondary-slave, ss.</summary>
    public static bool TryParse(string text, out IdeSlot slot)
    {
        slot = text.ToLowerInvariant() switch
        {
            "primary-master" or "pm" or "hda" => new IdeSlot(0, 0),
            "primary-slave" or "ps" or "hdb" => new IdeSlot(0, 1),
            "secondary-master" or "sm" or "hdc" => new IdeSlot(1, 0),
            "secondary-slave" or "ss" or "hdd" => new IdeSlot(1, 1),
            _ => new IdeSlot(-1, -1),
        };
        return slot.Channel >= 0;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{(Channel == 0 ? "primary" : "secondary")}-{(Unit == 0 ? "master" : "slave")}";
}

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
