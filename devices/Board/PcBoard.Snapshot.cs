using System.Security.Cryptography;
using Minix318Emu.Devices.Chipset;
using Minix318Emu.Devices.Firmware;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Devices.Board;

/// <summary>
/// The board's side of machine snapshots: which parts a state holds, in which order, and what
/// machine it belongs to. The list is the board's own inventory (what the constructor built);
/// every device that answers on the I/O bus or in the memory map is then checked against it, so a
/// device added without snapshot support makes saving fail with its name and port rather than
/// leave its state out.
/// </summary>
public sealed partial class PcBoard
{
    private SystemControlPortB _port61 = null!;
    private SystemControlPortA _port92 = null!;
    private FpuErrorPort _portF0 = null!;
    private AcpiPm? _acpiPm;
    private BusMasterPorts _busMaster = null!;

    /// <summary>
    /// The machine's parts in saving and loading order: CPU, RAM, every device, the disks'
    /// overlays, the clock (loading it binds pending events to devices already loaded), then the
    /// TLB (what loads before it may flush it).
    /// </summary>
    public IReadOnlyList<(string Id, ISnapshotState Part)> StateParts()
    {
        var parts = new List<(string Id, ISnapshotState Part)>
        {
            ("cpu", Machine.Cpu),
            ("ram", Machine.Memory),
            ("pic", Pic),
        };
        if (LocalApic is not null)
        {
            parts.Add(("lapic", LocalApic));
            parts.Add(("ioapic", IoApic!));
            parts.Add(("apic-router", Router!));
        }
        parts.Add(("pit", Pit));
        parts.Add(("port61", _port61));
        parts.Add(("rtc", Rtc));
        parts.Add(("com1", Com1));
        parts.Add(("com2", Com2));
        parts.Add(("isa-dma", Dma));
        parts.Add(("floppy", Floppy));
        if (_acpiPm is not null)
        {
            parts.Add(("acpi-pm", _acpiPm));
        }
        parts.Add(("i8042", Keyboard));
        parts.Add(("vga", Vga));
        parts.Add(("port92", _port92));
        parts.Add(("post", Post));
        parts.Add(("port-f0", _portF0));
        parts.Add(("exit", Exit));
        parts.Add(("ide0", Ide[0]));
        parts.Add(("ide1", Ide[1]));
        parts.Add(("ide-busmaster", _busMaster));
        parts.Add(("pci", Pci));
        foreach (var (slot, image) in _config.Disks.OrderBy(d => d.Key.Channel * 2 + d.Key.Unit))
        {
            parts.Add(($"disk:{slot.Channel}.{slot.Unit}", image));
        }
        for (int i = 0; i < _config.Floppies.Count; i++)
        {
            parts.Add(($"floppy-disk:{i}", _config.Floppies[i].Image));
        }
        AddOtherBusDevices(parts);
        parts.Add(("clock", Machine.Clock));
        parts.Add(("tlb", Machine.Cpu.TlbState)); // last: loading RAM, A20 or the APIC base flushes it
        return parts;
    }

    /// <summary>
    /// Adds devices attached after the board was built (a debug console) that support snapshots,
    /// and fails naming any device on the buses that does not.
    /// </summary>
    private void AddOtherBusDevices(List<(string Id, ISnapshotState Part)> parts)
    {
        var known = new HashSet<object>(parts.Select(p => (object)p.Part), ReferenceEqualityComparer.Instance);
        known.UnionWith(Pam.Windows); // no state of their own: the PAM registers, in "pci", map them again
        IoBus io = Machine.Io;
        for (int port = 0; port < 0x10000; port++)
        {
            if (io.DeviceAt((ushort)port) is not { } d || known.Contains(d))
            {
                continue;
            }
            if (d is not ISnapshotState state)
            {
                throw new SnapshotException($"the device {d.GetType().Name} at I/O port 0x{port:X4} has no snapshot support, so this machine cannot be saved");
            }
            known.Add(d);
            parts.Add(($"io:{d.GetType().Name}", state));
        }
        foreach (var d in Machine.Memory.MmioDevices)
        {
            if (known.Contains(d))
            {
                continue;
            }
            if (d is not ISnapshotState state)
            {
                throw new SnapshotException($"the memory-mapped device {d.GetType().Name} has no snapshot support, so this machine cannot be saved");
            }
            known.Add(d);
            parts.Add(($"mmio:{d.GetType().Name}", state));
        }
    }

    /// <summary>
    /// What a state of this machine belongs to: RAM, clock rate, the APIC and ACPI choices, each
    /// disk and floppy by size and content hash (of the image file; the overlay is in the state).
    /// </summary>
    public MachineDescription Describe()
    {
        var d = new MachineDescription()
            .Add("ram", Machine.Memory.RamSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("ips", Machine.Clock.TicksPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("apic", LocalApic is not null ? "on" : "off")
            .Add("acpi", _acpiPm is not null ? "on" : "off");
        foreach (var (slot, image) in _config.Disks.OrderBy(d => d.Key.Channel * 2 + d.Key.Unit))
        {
            d.Add($"disk {slot.Channel}.{slot.Unit}", Identity(image));
        }
        for (int i = 0; i < _config.Floppies.Count; i++)
        {
            d.Add($"floppy {i}", Identity(_config.Floppies[i].Image) + (_config.Floppies[i].WriteProtected ? " wp" : ""));
        }
        return d;
    }

    private static string Identity(DiskImage image) =>
        $"{image.Sectors} sectors sha256 {Convert.ToHexStringLower(image.ContentHash())}";

    /// <summary>Saves the machine to <paramref name="path"/>; returns the file's size.</summary>
    public long SaveState(string path, IEnumerable<(string Id, ISnapshotState Part)>? extra = null) =>
        StateFile.Write(path, Describe(), Machine.Cpu.InstructionCount, StateParts().Concat(extra ?? []));

    /// <summary>Checks that <paramref name="file"/> belongs to this machine, then loads every part.</summary>
    public void LoadState(StateFile file)
    {
        file.RequireMachine(Describe());
        var parts = StateParts();
        foreach (var (id, _) in parts)
        {
            if (!file.Has(id))
            {
                throw new SnapshotException($"{file.Path}: the state has no section for {id}");
            }
        }
        foreach (var (id, part) in parts)
        {
            file.Load(id, part);
        }
    }
}
