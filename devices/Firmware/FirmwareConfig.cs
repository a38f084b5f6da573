using System.Buffers.Binary;
using System.Text;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// QEMU's firmware configuration device (fw_cfg, docs/specs/fw_cfg.txt) at its x86 ports, as
/// SeaBIOS finds its board through it: a 16-bit selector at 0x510 picks an item and resets the
/// offset, each byte read at 0x511 returns the next byte of the item (zero past its end or for
/// an item that does not exist), and data-port writes are ignored (QEMU 2.4 and later). Items
/// are fixed keys or named files; the file directory (key 0x19) lists the files sorted by name,
/// big-endian, with keys from 0x20 in that order. The DMA interface at 0x514: the guest writes
/// the big-endian physical address of an access {BE32 control, BE32 length, BE64 address}
/// (the write of the low half at 0x518 starts it); the device selects, reads, skips or
/// writes as the control bits say, synchronously, and stores the control word back as 0, or
/// with the error bit (a read into anything but RAM, a write). Reading 0x514 gives "QEMU CFG". No item is writable.
/// </summary>
public sealed partial class FirmwareConfig : IPortDevice
{
    private readonly PhysicalMemory _memory;
    private readonly Dictionary<ushort, byte[]> _items = new();
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private bool _sealed;
    private ushort _selector;
    private byte[]? _current;
    private int _offset;
    private uint _dmaHigh;

    /// <summary>Creates the device with its signature and ID (traditional and DMA interfaces).</summary>
    public FirmwareConfig(PhysicalMemory memory)
    {
        _memory = memory;
        _items[FwCfgKeys.Signature] = "QEMU"u8.ToArray();
        AddU32(FwCfgKeys.Id, FwCfgKeys.IdTraditional | FwCfgKeys.IdDma);
    }

    /// <summary>Registers the selector, data and DMA ports.</summary>
    public void Attach(IoBus io)
    {
        io.Register(FwCfgKeys.SelectorPort, 2, this);
        io.Register(FwCfgKeys.DmaPort, 8, this);
    }

    /// <summary>The key currently selected.</summary>
    public ushort Selector => _selector;

    /// <summary>Sets item <paramref name="key"/> (below 0x20, or architecture-local).</summary>
    public void AddItem(ushort key, byte[] data)
    {
        if ((key & ~FwCfgKeys.ArchLocal) >= FwCfgKeys.FileFirst && (key & FwCfgKeys.ArchLocal) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(key), $"fw_cfg key 0x{key:X4} is in the file range; add it as a file");
        }
        _items[key] = data;
    }

    /// <summary>Sets a 16-bit little-endian item.</summary>
    public void AddU16(ushort key, ushort value) => AddItem(key, BitConverter.GetBytes(value));

    /// <summary>Sets a 32-bit little-endian item.</summary>
    public void AddU32(ushort key, uint value) => AddItem(key, BitConverter.GetBytes(value));

    /// <summary>Sets a 64-bit little-endian item.</summary>
    public void AddU64(ushort key, ulong value) => AddItem(key, BitConverter.GetBytes(value));

    /// <summary>Adds a named file (before the guest first reads the directory; names are at most 55 bytes).</summary>
    public void AddFile(string name, byte[] data)
    {
        if (_sealed)
        {
            throw new InvalidOperationException($"fw_cfg file {name} added after the directory was built");
        }
        if (name.Length == 0 || Encoding.ASCII.GetByteCount(name) >= FwCfgKeys.FileNameLength)
        {
            throw new ArgumentException($"fw_cfg file name '{name}' must be 1 to {FwCfgKeys.FileNameLength - 1} bytes", nameof(name));
        }
        _files[name] = data;
    }

    /// <summary>The key a file got in the directory (valid once the directory is built, e.g. after <see cref="Seal"/>).</summary>
    public ushort FileKey(string name)
    {
        Seal();
        int i = 0;
        foreach (string n in _files.Keys)
        {
            if (n == name)
            {
                return (ushort)(FwCfgKeys.FileFirst + i);
            }
            i++;
        }
        throw new KeyNotFoundException($"no fw_cfg file {name}");
    }

    /// <summary>Builds the file directory and numbers the files; no file can be added afterwards.</summary>
    public void Seal()
    {
        if (_sealed)
        {
            return;
        }
        _sealed = true;
        var dir = new byte[4 + 64 * _files.Count];
        BinaryPrimitives.WriteUInt32BigEndian(dir, (uint)_files.Count);
        int i = 0;
        foreach (var (name, data) in _files)
        {
            Span<byte> e = dir.AsSpan(4 + 64 * i, 64);
            BinaryPrimitives.WriteUInt32BigEndian(e, (uint)data.Length);
            BinaryPrimitives.WriteUInt16BigEndian(e[4..], (ushort)(FwCfgKeys.FileFirst + i));
            Encoding.ASCII.GetBytes(name, e[8..]);
            _items[(ushort)(FwCfgKeys.FileFirst + i)] = data;
            i++;
        }
        _items[FwCfgKeys.FileDir] = dir;
    }

    /// <inheritdoc/>
    public uint Read(ushort port, int size)
    {
        switch (port)
        {
            case FwCfgKeys.DataPort:
                uint v = 0;
                for (int i = 0; i < size; i++)
                {
                    v |= (uint)NextByte() << (8 * i);
                }
                return v;
            case >= FwCfgKeys.DmaPort and < FwCfgKeys.DmaPort + 8:
                // The register reads as the big-endian signature: byte k of the port block is byte k of "QEMU CFG".
                uint r = 0;
                for (int i = 0; i < size && port - FwCfgKeys.DmaPort + i < 8; i++)
                {
                    r |= (uint)(byte)(FwCfgKeys.DmaSignature >> (56 - 8 * (port - FwCfgKeys.DmaPort + i))) << (8 * i);
                }
                return r;
            default:
                return size == 1 ? 0xFFu : size == 2 ? 0xFFFFu : 0xFFFF_FFFFu; // the selector is write-only
        }
    }

    /// <inheritdoc/>
    public void Write(ushort port, int size, uint value)
    {
        switch (port)
        {
            case FwCfgKeys.SelectorPort:
                Select((ushort)value);
                break;
            case FwCfgKeys.DmaPort when size == 4:
                _dmaHigh = BinaryPrimitives.ReverseEndianness(value);
                break;
            case FwCfgKeys.DmaPort + 4 when size == 4:
                ulong address = ((ulong)_dmaHigh << 32) | BinaryPrimitives.ReverseEndianness(value);
                _dmaHigh = 0;
                Dma(address);
                break;
        }
    }

    private void Select(ushort key)
    {
        Seal();
        _selector = key;
        _offset = 0;
        _current = _items.GetValueOrDefault((ushort)(key & ~FwCfgKeys.Write));
    }

    private byte NextByte()
    {
        if (_current is null || _offset >= _current.Length)
        {
            return 0;
        }
        return _current[_offset++];
    }

    /// <summary>Runs the DMA access at <paramref name="address"/> and stores its outcome in its control word.</summary>
    private void Dma(ulong address)
    {
        if (address > uint.MaxValue - 16)
        {
            return; // beyond a 32-bit bus: nothing to read the access from
        }
        uint at = (uint)address;
        Span<byte> access = stackalloc byte[16];
        _memory.ReadBytes(at, access);
        uint control = BinaryPrimitives.ReadUInt32BigEndian(access);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(access[4..]);
        ulong target = BinaryPrimitives.ReadUInt64BigEndian(access[8..]);
        if ((control & FwCfgKeys.DmaSelect) != 0)
        {
            Select((ushort)(control >> 16));
        }
        bool ok = true;
        if ((control & FwCfgKeys.DmaRead) != 0)
        {
            ok = target + length <= _memory.RamSize; // QEMU fails a transfer into unassigned memory; here only RAM is taken
            for (uint i = 0; ok && i < length; i++)
            {
                _memory.Write8((uint)target + i, NextByte());
            }
        }
        else if ((control & FwCfgKeys.DmaWrite) != 0)
        {
            ok = false; // no item is writable
        }
        else if ((control & FwCfgKeys.DmaSkip) != 0)
        {
            _offset = (int)Math.Min((long)_offset + length, int.MaxValue);
        }
        _memory.Write32(at, ok ? 0u : BinaryPrimitives.ReverseEndianness(FwCfgKeys.DmaError));
    }
}
