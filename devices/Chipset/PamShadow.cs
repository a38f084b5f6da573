using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Chipset;

/// <summary>
/// The i440FX's Programmable Attribute Map (82441FX datasheet, PAM0-PAM6 at configuration
/// offsets 59h-5Fh of the host bridge): each 2-bit field of the 13 segments of 0xC0000-0xFFFFF
/// (PAM0 bits 5:4 the 64 KiB BIOS segment 0xF0000; PAM1-PAM6 the 16 KiB segments 0xC0000-0xEFFFF,
/// low nibble first) says where reads (RE, bit 0) and writes (WE, bit 1) go: to the RAM
/// underneath, or to the bus, where the BIOS ROM answers reads at its alias and writes are lost.
/// After reset every field is 0, so the CPU runs the ROM; a BIOS sets RE|WE, copies itself into
/// RAM and then sets RE alone to write-protect it (SeaBIOS's shadow.c).
/// </summary>
public sealed class PamShadow
{
    /// <summary>The configuration offset of PAM0.</summary>
    public const int FirstRegister = 0x59;

    /// <summary>The number of registers (PAM0-PAM6).</summary>
    public const int Registers = 7;

    private const int Segments = 13;

    private readonly PhysicalMemory _memory;
    private readonly Func<uint, byte> _bus;
    private readonly PamWindow?[] _windows = new PamWindow?[Segments];
    private readonly int[] _modes = new int[Segments];
    private readonly byte[] _registers = new byte[Registers];

    /// <summary>
    /// Creates the map over <paramref name="memory"/> with every segment RAM (RE|WE), as the
    /// routes that run no firmware leave it; <paramref name="bus"/> answers reads sent to the bus.
    /// </summary>
    public PamShadow(PhysicalMemory memory, Func<uint, byte> bus)
    {
        _memory = memory;
        _bus = bus;
        Array.Fill(_modes, 3);
        _registers[0] = 0x30;
        for (int i = 1; i < Registers; i++)
        {
            _registers[i] = 0x33;
        }
    }

    /// <summary>
    /// The windows mapped now (segments whose reads go to the bus). They hold no state of their
    /// own: the PAM registers decide them, and a snapshot saves those with the host bridge's
    /// configuration space, whose loading maps the same windows again.
    /// </summary>
    internal IEnumerable<IMmioDevice> Windows => _windows.OfType<PamWindow>();

    /// <summary>The value of PAM register <paramref name="index"/> (0-6).</summary>
    public byte Register(int index) => _registers[index];

    /// <summary>Sets PAM register <paramref name="index"/> (0-6); reserved bits read as 0.</summary>
    public void SetRegister(int index, byte value)
    {
        value &= index == 0 ? (byte)0x30 : (byte)0x33;
        _registers[index] = value;
        if (index == 0)
        {
            SetMode(0, value >> 4);
            return;
        }
        SetMode(2 * index - 1, value & 3);
        SetMode(2 * index, (value >> 4) & 3);
    }

    /// <summary>The start and length of segment <paramref name="segment"/> (0 is 0xF0000, 1-12 are 0xC0000 upwards).</summary>
    private static (uint Start, uint Length) Range(int segment) =>
        segment == 0 ? (0xF_0000u, 0x1_0000u) : (0xC_0000u + (uint)(segment - 1) * 0x4000, 0x4000u);

    private void SetMode(int segment, int mode)
    {
        if (_modes[segment] == mode)
        {
            return;
        }
        _modes[segment] = mode;
        var (start, length) = Range(segment);
        bool readsRam = (mode & 1) != 0, writesRam = (mode & 2) != 0;
        if (readsRam && _windows[segment] is { } window)
        {
            _memory.UnmapMmio(start, window);
            _windows[segment] = null;
        }
        if (!readsRam)
        {
            if (_windows[segment] is null)
            {
                _windows[segment] = new PamWindow(_memory, start, _bus);
                _memory.MapMmio(start, length, _windows[segment]!);
            }
            _windows[segment]!.WritesToRam = writesRam;
        }
        _memory.SetWriteProtected(start, length, readsRam && !writesRam);
        _memory.ForgetCode(start, length);
    }
}
