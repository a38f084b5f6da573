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
