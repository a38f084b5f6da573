using System.Buffers.Binary;

namespace Minix318Emu.Devices.Pci;

/// <summary>
/// A PCI function's 256-byte type-0 configuration header. Subclasses fill the identity and
/// declare which bits software may write; BARs answer the sizing protocol (write all ones,
/// read back the size mask).
/// </summary>
public partial class PciFunction
{
    private readonly byte[] _config = new byte[256];
    private readonly byte[] _writable = new byte[256];
    private readonly uint[] _barSizes = new uint[6];

    /// <summary>Creates a function with its identity.</summary>
    public PciFunction(ushort vendor, ushort device, uint classCode, byte revision, byte headerType = 0)
    {
        Set16(0x00, vendor);
        Set16(0x02, device);
        _config[0x08] = revision;
        _config[0x09] = (byte)classCode;          // programming interface
        _config[0x0A] = (byte)(classCode >> 8);   // subclass
        _config[0x0B] = (byte)(classCode >> 16);  // class
        _config[0x0E] = headerType;
        Writable(0x04, 2, 0x0147);               // command: I/O, memory, bus master, parity, SERR
        Writable(0x0C, 1, 0xFF);                 // cache line size
        Writable(0x0D, 1, 0xFF);                 // latency timer
        Writable(0x3C, 1, 0xFF);                 // interrupt line
    }

    /// <summary>Marks <paramref name="length"/> bytes at <paramref name="offset"/> writable under <paramref name="mask"/>.</summary>
    protected void Writable(int offset, int length, uint mask)
    {
        for (int i = 0; i < length; i++)
        {
            _writable[offset + i] = (byte)(mask >> (8 * i));
        }
    }

    /// <summary>Sets a 16-bit configuration value.</summary>
    protected void Set16(int offset, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan(offset), v);

    /// <summary>Sets a configuration byte.</summary>
    protected void SetByte(int offset, byte v) => _config[offset] = v;

    /// <summary>Sets a 32-bit configuration value.</summary>
    protected void Set32(int offset, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(offset), v);

    /// <summary>Reads a 32-bit configuration value.</summary>
    public uint Get32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_config.AsSpan(offset));

    /// <summary>Declares I/O BAR <paramref name="index"/> of <paramref name="size"/> bytes at <paramref name="address"/>.</summary>
    protected void IoBar(int index, uint size, uint address)
    {
        _barSizes[index] = size;
        Set32(0x10 + 4 * index, (address & ~(size - 1)) | 1);
        Writable(0x10 + 4 * index, 4, ~(size - 1) & 0xFFFF_FFFC);
    }

    /// <summary>Reads the dword at <paramref name="offset"/> (dword-aligned).</summary>
    public uint ReadConfig(int offset) => Get32(offset & 0xFC);

    /// <summary>Writes the bytes of <paramref name="value"/> selected by <paramref name="byteMask"/> (bit i = byte i) at the dword <paramref name="offset"/>.</summary>
    public void WriteConfig(int offset, uint value, int byteMask)
    {
        offset &= 0xFC;
        uint before = Get32(offset);
        for (int i = 0; i < 4; i++)
        {
            if ((byteMask & (1 << i)) == 0)
            {
                continue;
            }
            int at = offset + i;
            byte w = _writable[at];
            _config[at] = (byte)((_config[at] & ~w) | ((byte)(value >> (8 * i)) & w));
        }
        uint after = Get32(offset);
        if (after != before)
        {
            ConfigChanged(offset, before, after);
        }
    }

    /// <summary>Called when a write changed the dword at <paramref name="offset"/>.</summary>
    protected virtual void ConfigChanged(int offset, uint before, uint after)
    {
    }
}
