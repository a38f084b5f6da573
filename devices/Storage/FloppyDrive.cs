namespace Minix318Emu.Devices.Storage;

/// <summary>
/// A 3.5" 1.44 MB drive with a disk in it: 80 cylinders, 2 heads, 18 sectors of 512 bytes per
/// track at 500 kbit/s, the image behind it (copy-on-write unless persisted), the write-protect
/// tab, where the head is, which sector passes under it next, and the disk-change line.
/// </summary>
public sealed partial class FloppyDrive
{
    /// <summary>Cylinders (tracks per side) of a 1.44 MB disk.</summary>
    public const int Cylinders = 80;

    /// <summary>Heads (sides) of a 1.44 MB disk.</summary>
    public const int Heads = 2;

    /// <summary>Sectors of 512 bytes per track of a 1.44 MB disk.</summary>
    public const int SectorsPerTrack = 18;

    /// <summary>The size of a 1.44 MB image.</summary>
    public const long ImageBytes = (long)Cylinders * Heads * SectorsPerTrack * DiskImage.SectorSize;

    /// <summary>The data rate of the medium, as the DSR/CCR rate code (0 = 500 kbit/s).</summary>
    public const int RateCode = 0;

    /// <summary>Puts <paramref name="image"/> in a drive; an image of another size gives <see cref="DiskImageException"/> naming it.</summary>
    public FloppyDrive(DiskImage image, bool writeProtected)
    {
        if (image.Sectors * DiskImage.SectorSize != ImageBytes)
        {
            throw new DiskImageException(image.Path, $"the floppy image is {image.Sectors * DiskImage.SectorSize} bytes; a 1.44 MB image is {ImageBytes} bytes");
        }
        Image = image;
        WriteProtected = writeProtected;
    }

    /// <summary>The disk's image.</summary>
    public DiskImage Image { get; }

    /// <summary>The write-protect tab.</summary>
    public bool WriteProtected { get; }

    /// <summary>The cylinder the head is on (the drive steps past the last one without complaint).</summary>
    public int Cylinder { get; private set; }

    /// <summary>The sector whose ID passes under the head next (rotation is not timed: it follows accesses).</summary>
    public int NextSector { get; set; } = 1;

    /// <summary>The disk-change line: set from power-on until a step pulse with a disk in the drive.</summary>
    public bool DiskChanged { get; private set; } = true;

    /// <summary>Steps the head to <paramref name="cylinder"/>; step pulses clear the disk-change line.</summary>
    public void StepTo(int cylinder)
    {
        if (cylinder != Cylinder)
        {
            DiskChanged = false;
        }
        Cylinder = cylinder;
    }

    /// <summary>Whether sector (cylinder, head, sector) exists on the medium.</summary>
    public static bool Exists(int cylinder, int head, int sector) =>
        cylinder is >= 0 and < Cylinders && head is >= 0 and < Heads && sector is >= 1 and <= SectorsPerTrack;

    /// <summary>The image's sector number for a CHS address.</summary>
    public static long Lba(int cylinder, int head, int sector) => ((long)cylinder * Heads + head) * SectorsPerTrack + sector - 1;
}
