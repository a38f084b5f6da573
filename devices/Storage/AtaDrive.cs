using System.Text;

namespace Minix318Emu.Devices.Storage;

/// <summary>An ATA hard disk on an image: its geometry and IDENTIFY DEVICE data (ATA/ATAPI-6 layout).</summary>
public sealed partial class AtaDrive
{
    /// <summary>The largest READ/WRITE MULTIPLE block this drive supports.</summary>
    public const int MaxMultiple = 16;

    /// <summary>Creates a drive over <paramref name="image"/>.</summary>
    public AtaDrive(DiskImage image, string serial)
    {
        Image = image;
        Serial = serial;
        long sectors = image.Sectors;
        DefaultHeads = 16;
        DefaultSectorsPerTrack = 63;
        DefaultCylinders = (int)Math.Clamp(sectors / (16 * 63), 1, 16383);
        Heads = DefaultHeads;
        SectorsPerTrack = DefaultSectorsPerTrack;
    }

    /// <summary>The image.</summary>
    public DiskImage Image { get; }

    /// <summary>The serial-number string.</summary>
    public string Serial { get; }

    /// <summary>The model string reported by IDENTIFY.</summary>
    public string Model => "MINIX318EMU HARDDISK";

    /// <summary>Cylinders of the default geometry: the image's sectors over 16 heads of 63 sectors, 1-16383 (IDENTIFY word 1).</summary>
    public int DefaultCylinders { get; }

    /// <summary>Heads of the default geometry: 16 (IDENTIFY word 3).</summary>
    public int DefaultHeads { get; }

    /// <summary>Sectors per track of the default geometry: 63 (IDENTIFY word 6).</summary>
    public int DefaultSectorsPerTrack { get; }

    /// <summary>The current logical geometry (INITIALIZE DEVICE PARAMETERS changes heads and sectors per track).</summary>
    public int Heads { get; set; }

    /// <summary>Sectors per track of the current geometry (INITIALIZE DEVICE PARAMETERS sets it).</summary>
    public int SectorsPerTrack { get; set; }

    /// <summary>Cylinders of the current geometry: the image's sectors over heads times sectors per track, 1-65535.</summary>
    public int Cylinders => (int)Math.Clamp(Image.Sectors / Math.Max(1, Heads * SectorsPerTrack), 1, 65535);

    /// <summary>Sectors per block for READ/WRITE MULTIPLE (0 = disabled).</summary>
    public int MultipleCount { get; set; }

    /// <summary>The transfer mode selected with SET FEATURES 03h (0 = default PIO).</summary>
    public byte TransferMode { get; set; }

    /// <summary>The 256-word IDENTIFY DEVICE data.</summary>
    public ushort[] Identify()
    {
        var w = new ushort[256];
        long sectors = Image.Sectors;
        w[0] = 0x0040;                         // fixed device, not removable
        w[1] = (ushort)DefaultCylinders;
        w[3] = (ushort)DefaultHeads;
        w[6] = (ushort)DefaultSectorsPerTrack;
        PutString(w, 10, 20, Serial);
        PutString(w, 23, 8, "1.0");
        PutString(w, 27, 40, Model);
        w[47] = 0x8000 | MaxMultiple;
        w[49] = 0x0300;                        // LBA and DMA supported
        w[50] = 0x4000;
        w[51] = 0x0200;
        w[53] = 0x0007;                        // words 54-58, 64-70 and 88 are valid
        int cyl = Cylinders;
        w[54] = (ushort)cyl;
        w[55] = (ushort)Heads;
        w[56] = (ushort)SectorsPerTrack;
        uint chsCapacity = (uint)Math.Min((long)cyl * Heads * SectorsPerTrack, sectors);
        w[57] = (ushort)chsCapacity;
        w[58] = (ushort)(chsCapacity >> 16);
        w[59] = (ushort)(MultipleCount > 0 ? 0x100 | MultipleCount : 0);
        uint lba28 = (uint)Math.Min(sectors, 0x0FFF_FFFF);
        w[60] = (ushort)lba28;
        w[61] = (ushort)(lba28 >> 16);
        w[63] = (ushort)(0x0007 | ((TransferMode & 0xF8) == 0x20 ? 0x100 << (TransferMode & 7) : 0)); // multiword DMA 0-2
        w[64] = 0x0003;                        // PIO 3 and 4
        w[65] = w[66] = w[67] = w[68] = 120;
        w[80] = 0x007E;                        // ATA-1 to ATA-6
        w[82] = 0x4000;                        // NOP
        w[83] = 0x7400;                        // 48-bit addressing, FLUSH CACHE, FLUSH CACHE EXT
        w[84] = 0x4000;
        w[85] = 0x4000;
        w[86] = 0x3400;
        w[87] = 0x4000;
        w[88] = (ushort)(0x003F | ((TransferMode & 0xF8) == 0x40 ? 0x100 << (TransferMode & 7) : 0)); // UDMA 0-5
        w[100] = (ushort)sectors;
        w[101] = (ushort)(sectors >> 16);
        w[102] = (ushort)(sectors >> 32);
        w[103] = (ushort)(sectors >> 48);
        // Word 255: signature A5h and a checksum making the 512 bytes sum to zero.
        w[255] = 0x00A5;
        int sum = 0;
        for (int i = 0; i < 255; i++)
        {
            sum += (w[i] & 0xFF) + (w[i] >> 8);
        }
        sum += 0xA5;
        w[255] |= (ushort)((byte)(-sum) << 8);
        return w;
    }

    /// <summary>ATA strings store two characters per word, the first in the high byte, padded with spaces.</summary>
    private static void PutString(ushort[] w, int word, int length, string s)
    {
        byte[] b = Encoding.ASCII.GetBytes(s.PadRight(length).Substring(0, length));
        for (int i = 0; i < length; i += 2)
        {
            w[word + i / 2] = (ushort)((b[i] << 8) | b[i + 1]);
        }
    }
}
