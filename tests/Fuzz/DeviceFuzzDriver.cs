using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Interrupts;
using Minix318Emu.Devices.Video;
using Minix318Emu.Emulator.Machine;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// An in-process guest driver that pokes every device of a <see cref="PcBoard"/> the way a
/// hostile or buggy guest could, without a CPU in between (so a million accesses take seconds):
/// random reads and writes of every claimed I/O port (found on the bus, so a device added to the
/// board is fuzzed without changing this file) and some unclaimed ones, of the local APIC, I/O
/// APIC and VGA MMIO windows; and command sequences that reach deeper state: ATA commands with
/// bus-master DMA whose descriptor tables and buffers lie anywhere in the 4 GiB space, floppy
/// commands with ISA DMA channel 2 programmed anywhere below 16 MiB, PCI configuration cycles
/// (BAR and command-register writes included), PIT, RTC and i8042 command sequences. Between
/// accesses guest time jumps by random amounts, due device events run, and the pending interrupt
/// is acknowledged (as the CPU's INTA cycle would) or left pending, at random.
/// </summary>
internal sealed class DeviceFuzzDriver
{
    private readonly PcBoard _board;
    private readonly PcMachine _m;
    private readonly Random _rng;
    private readonly List<List<ushort>> _devicePorts = new(); // the claimed ports, by device: each device is picked equally often

    /// <summary>Accesses per device (type name; MMIO windows and unclaimed ports by their own names).</summary>
    public SortedDictionary<string, long> Accesses { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs the guest ended through a device, by what ended them: a <see cref="MachineStopException"/>
    /// (a feature the emulator names as not implemented) is how a device ends the run with a
    /// one-line message (PcMachine.Run returns it as the run's result); the driver records it and goes on.
    /// </summary>
    public SortedDictionary<string, long> Ended { get; } = new(StringComparer.Ordinal);

    /// <summary>Interrupts acknowledged, command sequences issued, guest time advanced (ticks).</summary>
    public long Acknowledged, Sequences, Ticks;

    public DeviceFuzzDriver(PcBoard board, int seed)
    {
        _board = board;
        _m = board.Machine;
        _rng = new Random(seed);
        Rescan();
    }

    /// <summary>The claimed ports (PCI BAR writes move the bus-master block).</summary>
    private void Rescan()
    {
        var byDevice = new Dictionary<object, List<ushort>>(ReferenceEqualityComparer.Instance);
        for (int p = 0; p < 65536; p++)
        {
            if (_m.Io.DeviceAt((ushort)p) is { } d)
            {
                if (!byDevice.TryGetValue(d, out List<ushort>? ports))
                {
                    byDevice[d] = ports = new List<ushort>();
                }
                ports.Add((ushort)p);
            }
        }
        _devicePorts.Clear();
        _devicePorts.AddRange(byDevice.Values);
    }

    private string NameOf(ushort port) => _m.Io.DeviceAt(port)?.GetType().Name ?? "unclaimed port";

    private void Count(string device) => Accesses[device] = Accesses.GetValueOrDefault(device) + 1;

    private uint Value() => _rng.Next(6) switch
    {
        0 => 0,
        1 => 0xFFFF_FFFF,
        2 => (uint)_rng.Next(256),
        3 => 1u << _rng.Next(32),
        _ => (uint)_rng.NextInt64(1L << 32),
    };

    private int Size() => _rng.Next(4) switch { 0 => 2, 1 => 4, _ => 1 };

    private uint In(ushort port, int size = 1)
    {
        Count(NameOf(port));
        return _m.Io.Read(port, size);
    }

    private void Out(ushort port, uint value, int size = 1)
    {
        Count(NameOf(port));
        _m.Io.Write(port, size, value);
    }

    private uint Mmio(string name, uint address, bool write, uint value, int size)
    {
        Count(name);
        if (write)
        {
            _m.Memory.Write(address, size, value);
            return 0;
        }
        return _m.Memory.Read(address, size);
    }

    /// <summary>Issues <paramref name="count"/> accesses (a sequence counts each of its accesses).</summary>
    public void Run(long count)
    {
        long start = Total;
        while (Total - start < count)
        {
            try
            {
                Step();
            }
            catch (MachineStopException e)
            {
                Ended[$"{e.Reason}: {e.Message}"] = Ended.GetValueOrDefault($"{e.Reason}: {e.Message}") + 1;
            }
        }
    }

    /// <summary>Accesses issued so far.</summary>
    public long Total => Accesses.Values.Sum();

    private void Step()
    {
        switch (_rng.Next(100))
        {
            case < 55:
            {
                List<ushort> ports = _devicePorts[_rng.Next(_devicePorts.Count)];
                ushort port = ports[_rng.Next(ports.Count)];
                if (_rng.Next(2) == 0)
                {
                    In(port, Size());
                }
                else
                {
                    Out(port, Value(), Size());
                }
                break;
            }
            case < 58:
            {
                var port = (ushort)_rng.Next(65536);
                if (_rng.Next(2) == 0)
                {
                    In(port, Size());
                }
                else
                {
                    Out(port, Value(), Size());
                }
                break;
            }
            case < 63:
                Mmio(_board.LocalApic is null ? "no device (local APIC window)" : "LocalApic (MMIO)", LocalApic.DefaultBase + ((uint)_rng.Next(0x1000) & ~3u), _rng.Next(2) == 0, Value(), 4);
                break;
            case < 67:
            {
                uint ioapic = IoApic.DefaultBase;
                string name = _board.IoApic is null ? "no device (I/O APIC window)" : "IoApic (MMIO)";
                if (_rng.Next(2) == 0)
                {
                    Mmio(name, ioapic, write: true, (uint)_rng.Next(0x40), 4); // IOREGSEL: the redirection table and beyond
                }
                Mmio(name, ioapic + ((uint)_rng.Next(0x100) & ~3u), _rng.Next(2) == 0, Value(), 4);
                break;
            }
            case < 70:
                Mmio("VgaText (MMIO)", VgaText.WindowBase + (uint)_rng.Next(0x20000), _rng.Next(2) == 0, Value(), Size());
                break;
            case < 78:
                Ide();
                break;
            case < 85:
                Floppy();
                break;
            case < 91:
                PciConfig();
                break;
            default:
                Timers();
                break;
        }
        Interrupts();
    }

    /// <summary>Guest time moves on by a random amount; due events run; the pending interrupt is taken or left.</summary>
    private void Interrupts()
    {
        if (_rng.Next(4) == 0)
        {
            ulong step = (ulong)_rng.NextInt64(1L << _rng.Next(25));
            Ticks += (long)step;
            _m.Clock.SkipTo(_m.Clock.Now + step);
            _m.Clock.RunDue();
        }
        if (_m.Cpu.InterruptController is { InterruptPending: true } pic && _rng.Next(3) != 0)
        {
            pic.Acknowledge();
            Acknowledged++;
        }
        if (_rng.Next(50) == 0)
        {
            Out(0x20, 0x20); // non-specific EOIs, as an interrupt handler ends
            Out(0xA0, 0x20);
            if (_board.LocalApic is not null)
            {
                Mmio(_board.LocalApic is null ? "no device (local APIC window)" : "LocalApic (MMIO)", LocalApic.DefaultBase + 0xB0, write: true, 0, 4);
            }
        }
    }

    /// <summary>A PCI configuration cycle: mostly the real functions (bus 0, devices 0-1), sometimes anything.</summary>
    private void PciConfig(int bus = -1, int dev = -1, int fn = -1, int reg = -1, uint? value = null)
    {
        Sequences++;
        bus = bus >= 0 ? bus : _rng.Next(8) == 0 ? _rng.Next(256) : 0;
        dev = dev >= 0 ? dev : _rng.Next(8) == 0 ? _rng.Next(32) : _rng.Next(2);
        fn = fn >= 0 ? fn : _rng.Next(8);
        reg = reg >= 0 ? reg : _rng.Next(256);
        uint address = 0x8000_0000u | (uint)(bus << 16) | (uint)(dev << 11) | (uint)(fn << 8) | (uint)(reg & 0xFC);
        Out(0xCF8, _rng.Next(16) == 0 ? Value() : address, 4);
        var data = (ushort)(0xCFC + (reg & 3));
        if (value is { } v || _rng.Next(2) == 0)
        {
            Out(data, value ?? Value(), Size());
        }
        else
        {
            In(data, Size());
        }
        if (_rng.Next(64) == 0)
        {
            Rescan(); // a BAR may have moved the bus-master block
        }
    }

    /// <summary>An ATA command on a random channel and drive, PIO or bus-master DMA, with its data phase partly or wholly done.</summary>
    private void Ide()
    {
        Sequences++;
        int channel = _rng.Next(2);
        ushort cmd = channel == 0 ? (ushort)0x1F0 : (ushort)0x170, ctl = channel == 0 ? (ushort)0x3F6 : (ushort)0x376;
        if (_rng.Next(20) == 0)
        {
            Out(ctl, 0x04); // software reset
            Out(ctl, (uint)_rng.Next(2) << 1);
        }
        Out((ushort)(cmd + 6), 0xE0u | ((uint)_rng.Next(2) << 4) | (uint)_rng.Next(16));
        Out((ushort)(cmd + 1), (uint)_rng.Next(256));            // features
        Out((ushort)(cmd + 2), (uint)_rng.Next(4) == 0 ? 0 : (uint)_rng.Next(1, 9)); // sector count (0 = 256)
        Out((ushort)(cmd + 3), (uint)_rng.Next(256));
        Out((ushort)(cmd + 4), (uint)_rng.Next(4));
        Out((ushort)(cmd + 5), 0);
        byte[] commands = [0x20, 0x21, 0x24, 0x29, 0x30, 0x31, 0x34, 0x39, 0xC4, 0xC5, 0xC6, 0xC8, 0xCA, 0x25, 0x35, 0xEC, 0xEF, 0x91, 0x10, 0x40, 0xE7, 0xEA, 0xF8, 0x27, 0x90, 0xA0, 0xA1, 0xE0, 0xE5];
        byte command = _rng.Next(10) == 0 ? (byte)_rng.Next(256) : commands[_rng.Next(commands.Length)];
        bool dma = command is 0xC8 or 0xCA or 0x25 or 0x35 || _rng.Next(10) == 0;
        ushort bm = 0;
        if (dma)
        {
            if (_rng.Next(4) == 0)
            {
                PciConfig(0, 1, 1, 4, value: 0x0005); // I/O and bus-master enable on the IDE function
            }
            PciConfig(0, 1, 1, 0x20, value: _rng.Next(32) == 0 ? Value() : null); // read (or move) BAR4
            bm = (ushort)((_m.Io.Read(0xCFC, 4) & 0xFFF0) + channel * 8);
            uint table = RandomAddress(4);
            int entries = _rng.Next(1, 5);
            for (int i = 0; i < entries; i++)
            {
                uint entryAt = table + (uint)i * 8;
                if (entryAt < _m.Memory.RamSize - 8)
                {
                    _m.Memory.Write32(entryAt, RandomAddress(2));
                    _m.Memory.Write32(entryAt + 4, (uint)_rng.Next(0x10000) & ~1u | (i == entries - 1 && _rng.Next(8) != 0 ? 0x8000_0000u : 0));
                }
            }
            Out((ushort)(bm + 4), table, 4);
            Out((ushort)(bm + 2), 0x06); // clear interrupt and error
        }
        Out((ushort)(cmd + 7), command);
        if (dma)
        {
            Out(bm, (uint)(1 | (_rng.Next(2) << 3))); // start, direction at random
        }
        int words = _rng.Next(16) == 0 ? 256 * _rng.Next(1, 3) : _rng.Next(8); // whole sectors now and then
        for (int i = 0; i < words; i++)
        {
            if (command is 0x30 or 0x31 or 0x34 or 0x39 or 0xC5)
            {
                Out(cmd, (uint)_rng.Next(65536), 2);
            }
            else
            {
                In(cmd, 2);
            }
        }
        In((ushort)(cmd + 7));
        if (dma)
        {
            In((ushort)(bm + 2));
            Out(bm, 0);
        }
    }

    /// <summary>A floppy command with ISA DMA channel 2 programmed at a random address and count.</summary>
    private void Floppy()
    {
        Sequences++;
        if (_rng.Next(3) != 0)
        {
            Out(0x0A, 0x06);                                      // mask channel 2
            Out(0x0C, 0);                                         // clear the byte pointer flip-flop
            Out(0x0B, (uint)(_rng.Next(2) == 0 ? 0x46 : 0x4A) | (uint)(_rng.Next(4) == 0 ? 0x10 : 0)); // single, read/write, auto-init sometimes
            uint address = RandomAddress(1) & 0xFF_FFFF;
            Out(0x04, address & 0xFF);
            Out(0x04, (address >> 8) & 0xFF);
            Out(0x81, address >> 16);
            uint count = (uint)_rng.Next(0x10000);
            Out(0x05, count & 0xFF);
            Out(0x05, count >> 8);
            Out(0x0A, 0x02);                                      // unmask
        }
        Out(0x3F2, (uint)(_rng.Next(8) == 0 ? _rng.Next(256) : 0x1C | _rng.Next(2)));
        byte[][] commands =
        [
            [0xE6, 0, 0, 0, 1, 2, 18, 0x1B, 0xFF], [0xC5, 0, 0, 0, 1, 2, 18, 0x1B, 0xFF], [0x07, 0], [0x0F, 0, 0], [0x08], [0x03, 0xDF, 0x02],
            [0x4D, 0, 2, 18, 0x54, 0xF6], [0x4A, 0], [0x10], [0x04, 0], [0x13, 0, 0, 0], [0x94], [0x0E], [0x12, 0],
        ];
        byte[] c = (byte[])commands[_rng.Next(commands.Length)].Clone();
        for (int i = 1; i < c.Length; i++)
        {
            if (_rng.Next(3) == 0)
            {
                c[i] = (byte)_rng.Next(256);
            }
        }
        if (_rng.Next(10) == 0)
        {
            c[0] = (byte)_rng.Next(256);
        }
        int sent = _rng.Next(8) == 0 ? _rng.Next(c.Length) : c.Length;
        for (int i = 0; i < sent; i++)
        {
            In(0x3F4);
            Out(0x3F5, c[i]);
        }
        for (int i = 0, n = _rng.Next(10); i < n; i++)
        {
            In(0x3F4);
            In(0x3F5);
        }
    }

    /// <summary>PIT, RTC and i8042 command sequences.</summary>
    private void Timers()
    {
        Sequences++;
        switch (_rng.Next(3))
        {
            case 0:
                Out(0x43, (uint)_rng.Next(256));
                Out((ushort)(0x40 + _rng.Next(3)), (uint)_rng.Next(256));
                Out((ushort)(0x40 + _rng.Next(3)), (uint)_rng.Next(256));
                In((ushort)(0x40 + _rng.Next(3)));
                Out(0x61, (uint)_rng.Next(4));
                break;
            case 1:
                Out(0x70, (uint)_rng.Next(256));
                if (_rng.Next(2) == 0)
                {
                    In(0x71);
                }
                else
                {
                    Out(0x71, (uint)_rng.Next(256));
                }
                break;
            default:
            {
                byte[] commands = [0x20, 0x60, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAD, 0xAE, 0xC0, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xE0, 0xF0, 0xFE, 0xFF];
                Out(0x64, _rng.Next(6) == 0 ? (uint)_rng.Next(256) : commands[_rng.Next(commands.Length)]);
                if (_rng.Next(2) == 0)
                {
                    Out(0x60, (uint)_rng.Next(256));
                }
                In(0x64);
                In(0x60);
                break;
            }
        }
    }

    /// <summary>An address anywhere in the 4 GiB space, mostly in RAM.</summary>
    private uint RandomAddress(uint align) => (_rng.Next(4) == 0 ? (uint)_rng.NextInt64(1L << 32) : (uint)_rng.NextInt64(_m.Memory.RamSize)) & ~(align - 1);
}
