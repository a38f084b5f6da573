namespace Minix318Emu.Devices.Dma;

/// <summary>
/// One Intel 8237A DMA controller's register file (datasheet 231466): four channels with 16-bit
/// address and count registers behind a byte-pointer flip-flop, the command, status, request,
/// mask and mode registers, master clear. Registers are numbered 0-15 as on the first PC
/// controller; the transfers themselves are run by <see cref="IsaDma"/>.
/// </summary>
public sealed partial class Dma8237
{
    private bool _flipFlop;   // false: the next address/count byte is the low one
    private byte _status;     // bits 0-3 terminal count reached (cleared on read); 4-7 come from DREQ
    private byte _command;

    internal Dma8237(int firstChannel)
    {
        FirstChannel = firstChannel;
        for (int i = 0; i < 4; i++)
        {
            Channels[i] = new DmaChannel();
        }
    }

    /// <summary>The system channel number of this controller's channel 0 (0 or 4).</summary>
    public int FirstChannel { get; }

    /// <summary>The four channels.</summary>
    public DmaChannel[] Channels { get; } = new DmaChannel[4];

    /// <summary>Command register bit 2: the controller is disabled.</summary>
    public bool Disabled => (_command & 0x04) != 0;

    /// <summary>Set when the channel's count runs out.</summary>
    internal void SetTerminalCount(int local) => _status |= (byte)(1 << local);

    /// <summary>A channel became able to run (unmasked); <see cref="IsaDma"/> serves waiting devices.</summary>
    internal Action? Unmasked;

    internal byte Read(int reg)
    {
        if (reg < 8)
        {
            DmaChannel c = Channels[reg >> 1];
            ushort v = (reg & 1) == 0 ? c.CurrentAddress : c.CurrentCount;
            byte b = _flipFlop ? (byte)(v >> 8) : (byte)v;
            _flipFlop = !_flipFlop;
            return b;
        }
        switch (reg)
        {
            case 8:
            {
                byte requests = 0;
                for (int i = 0; i < 4; i++)
                {
                    if (Channels[i].Requested)
                    {
                        requests |= (byte)(0x10 << i);
                    }
                }
                byte s = (byte)(_status | requests);
                _status = 0; // the terminal-count bits clear when read
                return s;
            }
            case 13:
                return 0; // the temporary register (memory-to-memory transfers only)
            case 15:
            {
                // The PIIX lets the mask register be read back; the upper bits read as ones.
                byte m = 0xF0;
                for (int i = 0; i < 4; i++)
                {
                    m |= Channels[i].Masked ? (byte)(1 << i) : (byte)0;
                }
                return m;
            }
            default:
                return 0xFF;
        }
    }

    internal void Write(int reg, byte v)
    {
        if (reg < 8)
        {
            DmaChannel c = Channels[reg >> 1];
            // Writing a register writes both its base and its current copy.
            if ((reg & 1) == 0)
            {
                c.BaseAddress = c.CurrentAddress = Merge(c.BaseAddress, v);
            }
            else
            {
                c.BaseCount = c.CurrentCount = Merge(c.BaseCount, v);
            }
            _flipFlop = !_flipFlop;
            return;
        }
        switch (reg)
        {
            case 8:
                _command = v;
                Unmasked?.Invoke(); // re-enabling the controller lets waiting requests run
                break;
            case 9:
                // Software requests are for memory-to-memory transfers, which the PC does not wire.
                break;
            case 10:
                Channels[v & 3].Masked = (v & 0x04) != 0;
                if ((v & 0x04) == 0)
                {
                    Unmasked?.Invoke();
                }
                break;
            case 11:
                Channels[v & 3].Mode = v;
                break;
            case 12:
                _flipFlop = false;
                break;
            case 13: // master clear: as a hardware reset
                _command = 0;
                _status = 0;
                _flipFlop = false;
                foreach (DmaChannel c in Channels)
                {
                    c.Masked = true;
                }
                break;
            case 14:
                foreach (DmaChannel c in Channels)
                {
                    c.Masked = false;
                }
                Unmasked?.Invoke();
                break;
            case 15:
                for (int i = 0; i < 4; i++)
                {
                    Channels[i].Masked = (v & (1 << i)) != 0;
                }
                Unmasked?.Invoke();
                break;
        }
    }

    private ushort Merge(ushort old, byte v) => _flipFlop ? (ushort)((old & 0x00FF) | (v << 8)) : (ushort)((old & 0xFF00) | v);
}
