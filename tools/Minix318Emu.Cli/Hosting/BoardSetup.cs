using System.Globalization;
using Minix318Emu.Cli.Configuration;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Rtc;
using Minix318Emu.Devices.Storage;

namespace Minix318Emu.Cli.Hosting;

/// <summary>Turns the device settings (serial, disks, RTC) into a <see cref="BoardConfig"/>, validating each value.</summary>
public static class BoardSetup
{
    private static readonly IdeSlot[] s_defaultOrder = { new(0, 0), new(0, 1), new(1, 0), new(1, 1) };

    /// <summary>Builds the board configuration; bad values throw <see cref="UsageException"/>.</summary>
    public static BoardConfig Create(EmulatorSettings s)
    {
        var disks = new Dictionary<IdeSlot, DiskImage>();
        try
        {
            foreach (string spec in s.Disks)
            {
                (string path, IdeSlot? slot) = ParseDisk(spec);
                IdeSlot chosen = slot ?? s_defaultOrder.FirstOrDefault(x => !disks.ContainsKey(x), new IdeSlot(-1, -1));
                if (chosen.Channel < 0)
                {
                    throw new UsageException($"--disk {spec}: all four IDE slots are taken");
                }
                if (disks.ContainsKey(chosen))
                {
                    throw new UsageException($"--disk {spec}: slot {chosen} is already used");
                }
                try
                {
                    disks[chosen] = DiskImage.Open(path, s.Persist);
                }
                catch (DiskImageException e)
                {
                    throw new UsageException(e.Message);
                }
            }
        }
        catch
        {
            foreach (DiskImage d in disks.Values)
            {
                d.Dispose();
            }
            throw;
        }
        return new BoardConfig
        {
            Com1Sink = SerialSinks.Create(s.Serial),
            RtcStart = ParseRtcStart(s.RtcStart),
            Acpi = !s.NoAcpi,
            Disks = disks,
        };
    }

    private static (string Path, IdeSlot? Slot) ParseDisk(string spec)
    {
        string[] parts = spec.Split(',');
        IdeSlot? slot = null;
        foreach (string p in parts.Skip(1))
        {
            if (p.StartsWith("slot=", StringComparison.Ordinal) && IdeSlot.TryParse(p[5..], out IdeSlot parsed))
            {
                slot = parsed;
            }
            else
            {
                throw new UsageException($"--disk {spec}: unknown option '{p}' (expected slot=primary-master, primary-slave, secondary-master or secondary-slave)");
            }
        }
        if (parts[0].Length == 0)
        {
            throw new UsageException($"--disk '{spec}': no file named");
        }
        return (parts[0], slot);
    }

    /// <summary>Parses --rtc-start: empty for the fixed default, "host", or an ISO 8601 date-time taken as UTC.</summary>
    public static DateTime ParseRtcStart(string text)
    {
        if (text.Length == 0)
        {
            return Mc146818Rtc.DefaultStart;
        }
        if (text == "host")
        {
            return DateTime.UtcNow;
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t)
            && t.Year is >= 1970 and <= 2099)
        {
            return t;
        }
        throw new UsageException($"--rtc-start '{text}': expected an ISO 8601 date-time between 1970 and 2099, or 'host'");
    }
}
