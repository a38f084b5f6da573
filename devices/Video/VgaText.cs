using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Video;

/// <summary>
/// VGA text mode as a console driver uses it: the 128 KiB video window at 0xA0000 (text at
/// 0xB8000, 80x25 cells of character and attribute) and the CRT controller's index/data
/// ports with the cursor and start-address registers, plus the input status register whose
/// reads a driver polls for retrace. Graphics modes are not emulated.
/// </summary>
public sealed partial class VgaText : IMmioDevice, IPortDevice
{
    /// <summary>Physical base of the video window.</summary>
    public const uint WindowBase = 0xA0000;

    /// <summary>Offset of the colour text buffer in the window.</summary>
    private const uint TextOffset = 0x18000;

    private const int Columns = 80, Rows = 25;

    private readonly byte[] _vram = new byte[0x20000];
    private readonly byte[] _crtc = new byte[0x19];
    private byte _crtcIndex;
    private byte _misc = 0x67;
    private bool _retrace;

    /// <summary>Maps the window and registers the ports.</summary>
    public void Attach(PhysicalMemory memory, IoBus bus)
    {
        memory.MapMmio(WindowBase, (uint)_vram.Length, this);
        bus.Register(0x3B4, 2, this);
        bus.Register(0x3C0, 0x20, this);
    }

    /// <summary>The display start address (CRTC registers 0Ch/0Dh), in cells.</summary>
    public int StartAddress => (_crtc[0x0C] << 8) | _crtc[0x0D];

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        uint v = 0;
        for (int i = 0; i < size; i++)
        {
            v |= (uint)_vram[(offset + (uint)i) & 0x1FFFF] << (8 * i);
        }
        return v;
    }

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        for (int i = 0; i < size; i++)
        {
            _vram[(offset + (uint)i) & 0x1FFFF] = (byte)(value >> (8 * i));
        }
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        switch (port)
        {
            case 0x3D4:
            case 0x3B4:
                return _crtcIndex;
            case 0x3D5:
            case 0x3B5:
                return _crtcIndex < _crtc.Length ? _crtc[_crtcIndex] : 0xFFu;
            case 0x3CC:
                return _misc;
            case 0x3DA:
            case 0x3BA:
                // Input status 1: alternate the retrace bits so polling loops finish.
                _retrace = !_retrace;
                return _retrace ? 0x09u : 0x00u;
            default:
                return 0xFF;
        }
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        switch (port)
        {
            case 0x3D4:
            case 0x3B4:
                _crtcIndex = (byte)value;
                if (size == 2)
                {
                    Write((ushort)(port + 1), 1, value >> 8); // OUT DX, AX writes index and data
                }
                break;
            case 0x3D5:
            case 0x3B5:
                if (_crtcIndex < _crtc.Length)
                {
                    _crtc[_crtcIndex] = (byte)value;
                }
                break;
            case 0x3C2:
                _misc = (byte)value;
                break;
        }
    }

    /// <summary>The visible screen as 25 lines of text (trailing spaces trimmed), from the start address.</summary>
    public string ScreenText()
    {
        var sb = new System.Text.StringBuilder();
        for (int row = 0; row < Rows; row++)
        {
            var line = new char[Columns];
            for (int col = 0; col < Columns; col++)
            {
                int cell = (StartAddress + row * Columns + col) & 0x3FFF;
                byte ch = _vram[TextOffset + (uint)cell * 2];
                line[col] = ch is >= 0x20 and < 0x7F ? (char)ch : ch == 0 ? ' ' : '.';
            }
            sb.Append(new string(line).TrimEnd()).Append('\n');
        }
        return sb.ToString();
    }
}
