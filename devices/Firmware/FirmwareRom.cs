using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Devices.Firmware;

/// <summary>
/// A firmware image mapped as a PC maps its BIOS: the whole image read-only at the top of the
/// 4 GiB space (so the reset vector at 0xFFFFFFF0 is its last 16 bytes), and its last 128 KiB
/// (or all of a smaller image) aliased below 1 MiB, ending at 0xFFFFF, where real-mode code runs
/// after its first far jump. The alias is what the bus answers in the shadow segments whose PAM
/// fields send reads to the bus (<see cref="Chipset.PamShadow"/>), as after reset.
/// </summary>
public sealed partial class FirmwareRom : IMmioDevice
{
    private readonly byte[] _image;

    private FirmwareRom(byte[] image) => _image = image;

    /// <summary>Whether a firmware image has a size this mapping takes: a non-empty multiple of 64 KiB, at most 16 MiB.</summary>
    public static bool ValidSize(long length) => length > 0 && length % 0x10000 == 0 && length <= 16 << 20;

    /// <summary>Maps <paramref name="image"/> (of a <see cref="ValidSize"/>).</summary>
    public static FirmwareRom Map(byte[] image, PhysicalMemory mem)
    {
        if (!ValidSize(image.Length))
        {
            throw new ArgumentException($"a firmware image must be a non-empty multiple of 64 KiB up to 16 MiB (this one is {image.Length} bytes)", nameof(image));
        }
        var rom = new FirmwareRom(image);
        mem.MapMmio((uint)(0x1_0000_0000 - (ulong)image.Length), (uint)image.Length, rom);
        return rom;
    }

    /// <summary>The byte the ROM's alias below 1 MiB gives at <paramref name="physical"/>, or 0xFF where it has none.</summary>
    public byte LowAlias(uint physical)
    {
        long at = _image.Length - (0x10_0000L - physical);
        return physical < 0x10_0000 && at >= 0 && 0x10_0000L - physical <= 0x20000 ? _image[at] : (byte)0xFF;
    }

    /// <inheritdoc/>
    public uint Read(uint offset, int size)
    {
        uint v = 0;
        for (int i = 0; i < size && offset + i < _image.Length; i++)
        {
            v |= (uint)_image[offset + i] << (8 * i);
        }
        return v;
    }

    /// <inheritdoc/>
    public void Write(uint offset, int size, uint value)
    {
        // ROM: writes are ignored.
    }
}
