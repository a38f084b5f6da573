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

    /// <summary>Builds the board configuration; bad values throw <see cref="UsageException"/>. With <paramref name="appendConsole"/> a console file is continued.</summary>
    public static BoardConfig Create(EmulatorSettings s, bool appendConsole = false)
    {
        var disks = new Dictionary<IdeSlot, DiskImage>();
        var floppies = new List<FloppyDrive>();
        try
        {
            if (s.Floppies.Count > 2)
            {
                throw new UsageException($"--floppy: a PC has two floppy drives, {s.Floppies.Count} images were given");
            }
            foreach (string spec in s.Floppies)
            {
                floppies.Add(OpenFloppy(spec, s.Persist));
            }
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
            foreach (DiskImage d in disks.Values.Concat(floppies.Select(f => f.Image)))
            {
                d.Dispose();
            }
            throw;
        }
        return new BoardConfig
        {
            Com1Sink = SerialSinks.Create(s.Serial, appendConsole),
            RtcStart = ParseRtcStart(s.RtcStart),
            Acpi = !s.NoAcpi,
            Apic = !s.NoApic,
            Disks = disks,
            Floppies = floppies,
        };
    }

    private static FloppyDrive OpenFloppy(string spec, bool persist)
    {
        string[] parts = spec.Split(',');
        bool writeProtected = false;
        foreach (string p in parts.Skip(1))
        {
            if (p != "wp")
            {
                throw new UsageException($"--floppy {spec}: unknown option '{p}' (expected wp)");
            }
            writeProtected = true;
        }
        if (parts[0].Length == 0)
        {
            throw new UsageException($"--floppy '{spec}': no file named");
        }
        DiskImage? image = null;
        try
        {
            image = DiskImage.Open(parts[0], persist && !writeProtected);
            return new FloppyDrive(image, writeProtected);
        }
        catch (DiskImageException e)
        {
            image?.Dispose();
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Reads a firmware image for --bios, checking its size.</summary>
    public static byte[] ReadFirmware(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--bios {path}: no such file");
        }
        long length = new FileInfo(path).Length;
        if (!Devices.Firmware.FirmwareRom.ValidSize(length))
        {
            throw new UsageException($"--bios {path}: a firmware image must be a non-empty multiple of 64 KiB up to 16 MiB (it is {length} bytes)");
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// The VGA BIOS the firmware is offered: vgabios.bin beside the --bios image (Debian's
    /// seabios package has it, SeaVGABIOS for an ISA VGA), as QEMU's ISA VGA loads vgabios.bin
    /// from its firmware directory; null when there is none (a warning: the BIOS data area then
    /// has no video mode, which MINIX's tty divides by).
    /// </summary>
    public static byte[]? ReadVgaBios(string biosPath)
    {
        string vga = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(biosPath)) ?? ".", "vgabios.bin");
        if (File.Exists(vga))
        {
            return File.ReadAllBytes(vga);
        }
        Console.Error.WriteLine($"minix318emu: warning: no {vga}: the firmware gets no VGA BIOS, so no video mode is set in the BIOS data area");
        return null;
    }

    /// <summary>Attaches the debug console for --debugcon PORT[,file:PATH] (standard output without a file); null when not asked for.</summary>
    public static Devices.Debug.DebugConsole? AttachDebugConsole(string? spec, Emulator.Io.IoBus io)
    {
        if (string.IsNullOrEmpty(spec))
        {
            return null;
        }
        string[] parts = spec.Split(',', 2);
        string p = parts[0].Trim();
        bool hex = p.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!ushort.TryParse(hex ? p[2..] : p, hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.Integer,
                System.Globalization.CultureInfo.InvariantCulture, out ushort port))
        {
            throw new UsageException($"--debugcon '{spec}': '{p}' is not a port number (0-65535, or 0x...)");
        }
        Stream output;
        if (parts.Length == 1)
        {
            output = Console.OpenStandardOutput();
        }
        else if (parts[1].StartsWith("file:", StringComparison.Ordinal) && parts[1].Length > 5)
        {
            output = new FileStream(parts[1][5..], FileMode.Create, FileAccess.Write);
        }
        else
        {
            throw new UsageException($"--debugcon '{spec}': the destination must be file:PATH");
        }
        Emulator.Io.IPortDevice? previous = io.DeviceAt(port);
        if (previous is not null)
        {
            io.Unregister(port, 1, previous);
        }
        var console = new Devices.Debug.DebugConsole(port, output, previous);
        io.Register(port, 1, console);
        return console;
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
