using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Memory;

/// <summary>
/// The physical address space of a PC: RAM from address 0, MMIO regions on top of it, and
/// all ones for addresses nothing answers (an empty bus). The A20 gate masks bit 20.
/// </summary>
public sealed partial class PhysicalMemory
{
    /// <summary>Page size of the tables kept here (the x86 small page).</summary>
    public const int PageShift = 12;

    private readonly List<(uint Start, uint End, IMmioDevice Device)> _mmio = new();
    // Per 4 KiB page: bit 0 where the page overlaps an MMIO region, bit 1 where it is RAM that
    // reads but drops writes (a shadowed BIOS segment its PAM register write-protects).
    private const byte PageMmio = 1, PageWriteProtected = 2;
    private readonly byte[] _mmioPages;
    private readonly byte[] _codePages; // 1 where a page holds code the CPU has translated

    /// <summary>Creates <paramref name="ramBytes"/> of zeroed RAM (a multiple of 4 KiB, at most 3.5 GiB).</summary>
    public PhysicalMemory(uint ramBytes)
    {
        if (ramBytes == 0 || (ramBytes & 0xFFF) != 0 || ramBytes > 0x7FF0_0000u)
        {
            throw new ArgumentOutOfRangeException(nameof(ramBytes), $"RAM size {ramBytes} must be a non-zero multiple of 4 KiB up to 2047 MiB");
        }
        Ram = new byte[ramBytes];
        RamSize = ramBytes;
        _mmioPages = new byte[1 << 20];
        _codePages = new byte[1 << 20];
    }

    /// <summary>The RAM itself; the CPU's TLB points into it.</summary>
    public byte[] Ram { get; }

    /// <summary>RAM size in bytes.</summary>
    public uint RamSize { get; }

    /// <summary>Whether address line 20 is enabled; when off, bit 20 of every address reads as 0 (8086 wrap-around).</summary>
    public bool A20Enabled { get; private set; } = true;

    /// <summary>The mask applied to physical addresses for the A20 gate.</summary>
    public uint A20Mask { get; private set; } = 0xFFFF_FFFF;

    /// <summary>Raised when the A20 gate or the memory map changes, so cached translations are dropped.</summary>
    public event Action? MappingChanged;

    /// <summary>
    /// Called before a write lands in a page that holds translated code, with the page number, the
    /// address and the size; the CPU clears the page's mark (<see cref="SetCodePage"/>) when it drops
    /// the page's translations. Without a handler the mark is cleared here.
    /// </summary>
    public Action<uint, uint, int>? CodeWritten { get; set; }

    /// <summary>Sets the A20 gate.</summary>
    public void SetA20(bool enabled)
    {
        if (enabled == A20Enabled)
        {
            return;
        }
        A20Enabled = enabled;
        A20Mask = enabled ? 0xFFFF_FFFFu : 0xFFEF_FFFFu;
        MappingChanged?.Invoke();
    }

    /// <summary>Maps <paramref name="device"/> at [start, start+length).</summary>
    public void MapMmio(uint start, uint length, IMmioDevice device)
    {
        uint end = start + length - 1;
        _mmio.Add((start, end, device));
        for (ulong p = start >> PageShift; p <= end >> PageShift; p++)
        {
            _mmioPages[p] |= PageMmio;
        }
        MappingChanged?.Invoke();
    }

    /// <summary>
    /// Makes the RAM pages of [start, start+length) read-only (writes are dropped, as a chipset
    /// sends them to the bus) or writable again. Page-aligned; MMIO mapped there still wins.
    /// </summary>
    public void SetWriteProtected(uint start, uint length, bool value)
    {
        for (ulong p = start >> PageShift; p <= (start + length - 1) >> PageShift; p++)
        {
            _mmioPages[p] = (byte)(value ? _mmioPages[p] | PageWriteProtected : _mmioPages[p] & ~PageWriteProtected);
        }
        MappingChanged?.Invoke();
    }

    /// <summary>Whether the page holding <paramref name="phys"/> is RAM that takes writes directly (no MMIO, not write-protected).</summary>
    public bool IsWritableRam(uint phys) => phys < RamSize && _mmioPages[phys >> PageShift] == 0;

    /// <summary>Drops translated code in [start, start+length): what reads there return changed without a write (a remapped shadow segment).</summary>
    public void ForgetCode(uint start, uint length) => NotifyCodeWrite(start, (int)length);

    /// <summary>Removes <paramref name="device"/>'s mapping at <paramref name="start"/> (a relocated local APIC).</summary>
    public void UnmapMmio(uint start, IMmioDevice device)
    {
        int i = _mmio.FindIndex(m => m.Start == start && ReferenceEquals(m.Device, device));
        if (i < 0)
        {
            return;
        }
        var (s, e, _) = _mmio[i];
        _mmio.RemoveAt(i);
        for (ulong p = s >> PageShift; p <= e >> PageShift; p++)
        {
            bool stillMapped = false;
            foreach (var m in _mmio)
            {
                stillMapped |= m.Start >> PageShift <= p && p <= m.End >> PageShift;
            }
            _mmioPages[p] = (byte)((_mmioPages[p] & PageWriteProtected) | (stillMapped ? PageMmio : 0));
        }
        MappingChanged?.Invoke();
    }

    /// <summary>
    /// The RAM offset of the page holding <paramref name="physPage"/> (a page-aligned physical address),
    /// or -1 when the page is not plain RAM (MMIO or beyond RAM): such pages always take the slow path.
    /// </summary>
    public int RamPageOffset(uint physPage)
    {
        if (physPage >= RamSize || (_mmioPages[physPage >> PageShift] & PageMmio) != 0)
        {
            return -1;
        }
        return (int)physPage;
    }

    /// <summary>Whether the page holding <paramref name="phys"/> holds translated code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsCodePage(uint phys) => _codePages[phys >> PageShift] != 0;

    /// <summary>Marks the page holding <paramref name="phys"/> as holding translated code (or not).</summary>
    public void SetCodePage(uint phys, bool value) => _codePages[phys >> PageShift] = value ? (byte)1 : (byte)0;

    /// <summary>Reads a byte of physical memory.</summary>
    public byte Read8(uint addr) => (byte)Read(addr, 1);

    /// <summary>Reads a 16-bit value of physical memory.</summary>
    public ushort Read16(uint addr) => (ushort)Read(addr, 2);

    /// <summary>Reads a 32-bit value of physical memory.</summary>
    public uint Read32(uint addr) => Read(addr, 4);

    /// <summary>Writes a byte of physical memory.</summary>
    public void Write8(uint addr, byte value) => Write(addr, 1, value);

    /// <summary>Writes a 16-bit value of physical memory.</summary>
    public void Write16(uint addr, ushort value) => Write(addr, 2, value);

    /// <summary>Writes a 32-bit value of physical memory.</summary>
    public void Write32(uint addr, uint value) => Write(addr, 4, value);

    /// <summary>Reads 1, 2 or 4 bytes; an access that crosses into another region is split into bytes.</summary>
    public uint Read(uint addr, int size)
    {
        addr &= A20Mask;
        if ((_mmioPages[addr >> PageShift] & PageMmio) == 0 && (ulong)addr + (uint)size <= RamSize)
        {
            ref byte b = ref Ram[addr];
            return size switch
            {
                1 => b,
                2 => Unsafe.ReadUnaligned<ushort>(ref b),
                _ => Unsafe.ReadUnaligned<uint>(ref b),
            };
        }
        if (FindMmio(addr, size) is { } m)
        {
            return m.Device.Read(addr - m.Start, size);
        }
        uint value = 0;
        for (int i = 0; i < size; i++)
        {
            value |= (uint)ReadByteSlow(addr + (uint)i) << (8 * i);
        }
        return value;
    }

    /// <summary>Writes 1, 2 or 4 bytes.</summary>
    public void Write(uint addr, int size, uint value)
    {
        addr &= A20Mask;
        if (_mmioPages[addr >> PageShift] == 0 && (ulong)addr + (uint)size <= RamSize)
        {
            NoteCodeWrite(addr, size);
            ref byte b = ref Ram[addr];
            switch (size)
            {
                case 1: b = (byte)value; break;
                case 2: Unsafe.WriteUnaligned(ref b, (ushort)value); break;
                default: Unsafe.WriteUnaligned(ref b, value); break;
            }
            return;
        }
        if (FindMmio(addr, size) is { } m)
        {
            m.Device.Write(addr - m.Start, size, value);
            return;
        }
        for (int i = 0; i < size; i++)
        {
            WriteByteSlow(addr + (uint)i, (byte)(value >> (8 * i)));
        }
    }

    /// <summary>Copies <paramref name="data"/> into physical memory at <paramref name="addr"/> (used by loaders).</summary>
    public void WriteBytes(uint addr, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            Write(addr + (uint)i, 1, data[i]);
        }
    }

    /// <summary>Copies physical memory at <paramref name="addr"/> into <paramref name="dest"/>.</summary>
    public void ReadBytes(uint addr, Span<byte> dest)
    {
        for (int i = 0; i < dest.Length; i++)
        {
            dest[i] = (byte)Read(addr + (uint)i, 1);
        }
    }

    /// <summary>Tells the CPU a write to RAM at <paramref name="addr"/> may have changed translated code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NoteCodeWrite(uint addr, int size)
    {
        if (_codePages[addr >> PageShift] != 0 || _codePages[(addr + (uint)size - 1) >> PageShift] != 0)
        {
            NotifyCodeWrite(addr, size);
        }
    }

    private void NotifyCodeWrite(uint addr, int size)
    {
        uint first = addr >> PageShift, last = (addr + (uint)size - 1) >> PageShift;
        for (uint p = first; p <= last; p++)
        {
            if (_codePages[p] != 0)
            {
                if (CodeWritten is { } handler)
                {
                    handler(p, addr, size);
                }
                else
                {
                    _codePages[p] = 0;
                }
            }
        }
    }

    private (uint Start, uint End, IMmioDevice Device)? FindMmio(uint addr, int size)
    {
        foreach (var m in _mmio)
        {
            if (addr >= m.Start && addr + (uint)size - 1 <= m.End)
            {
                return m;
            }
        }
        return null;
    }

    private byte ReadByteSlow(uint addr)
    {
        if (FindMmio(addr, 1) is { } m)
        {
            return (byte)m.Device.Read(addr - m.Start, 1);
        }
        return addr < RamSize ? Ram[addr] : (byte)0xFF;
    }

    private void WriteByteSlow(uint addr, byte value)
    {
        if (FindMmio(addr, 1) is { } m)
        {
            m.Device.Write(addr - m.Start, 1, value);
        }
        else if (addr < RamSize && (_mmioPages[addr >> PageShift] & PageWriteProtected) == 0)
        {
            NoteCodeWrite(addr, 1);
            Ram[addr] = value;
        }
    }
}
