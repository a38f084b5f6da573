using System.Buffers.Binary;

namespace Minix318Emu.Images.Disk;

/// <summary>
/// The partitions of a disk as MINIX sees them: the MBR's four primary entries sorted by start
/// sector (empty slots last), and in every MINIX partition (type 0x81) whose first sector ends
/// in 0x55AA, four sub-partition entries, unsorted. Every start sector is absolute, as MINIX
/// writes them. Extended (DOS logical) partitions are listed but not followed.
/// </summary>
public sealed class PartitionTable
{
    /// <summary>Bytes per sector of the tables' addressing.</summary>
    public const int SectorSize = 512;

    private const int TableOffset = 446;
    private const int EntrySize = 16;
    private const int Slots = 4;

    private PartitionTable(IReadOnlyList<PartitionEntry> entries) => Entries = entries;

    /// <summary>Primary partitions, each followed by its sub-partitions, in MINIX device order.</summary>
    public IReadOnlyList<PartitionEntry> Entries { get; }

    /// <summary>Whether a sector holds the 0x55AA boot signature that marks a partition table.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> sector) => sector.Length >= SectorSize && sector[510] == 0x55 && sector[511] == 0xAA;

    /// <summary>Reads the tables of <paramref name="disk"/>, whose sector 0 must carry the signature.</summary>
    public static PartitionTable Read(IDiskImage disk)
    {
        long diskSectors = disk.Length / SectorSize;
        var sector = new byte[SectorSize];
        disk.Read(0, sector);
        if (!HasSignature(sector))
        {
            throw new ImageFormatException(disk.Name, "no partition table (sector 0 does not end in 0x55AA)");
        }
        var raw = ParseSlots(sector);
        // libblockdriver sort(): a bubble sort that moves empty slots last and orders the rest by start.
        var sorted = raw.OrderBy(r => r.Type == 0 ? 1 : 0).ThenBy(r => r.Type == 0 ? 0 : r.First).ToList();
        var entries = new List<PartitionEntry>();
        for (int p = 0; p < Slots; p++)
        {
            var r = sorted[p];
            if (r.Type == 0)
            {
                continue;
            }
            PartitionEntry primary = Clamp($"p{p}", null, r, 0, diskSectors);
            entries.Add(primary);
            if (r.Type == PartitionEntry.MinixType && primary.Length > 0)
            {
                disk.Read(primary.Offset, sector);
                if (HasSignature(sector))
                {
                    var subs = ParseSlots(sector);
                    long baseSector = primary.Offset / SectorSize;
                    long limit = baseSector + primary.Length / SectorSize;
                    for (int s = 0; s < Slots; s++)
                    {
                        if (subs[s].Type != 0)
                        {
                            entries.Add(Clamp($"p{p}s{s}", primary.Name, subs[s], baseSector, limit));
                        }
                    }
                }
            }
        }
        return new PartitionTable(entries);
    }

    private static List<RawEntry> ParseSlots(ReadOnlySpan<byte> sector)
    {
        var list = new List<RawEntry>(Slots);
        for (int i = 0; i < Slots; i++)
        {
            ReadOnlySpan<byte> e = sector.Slice(TableOffset + i * EntrySize, EntrySize);
            list.Add(new RawEntry(i, e[0], e[4], BinaryPrimitives.ReadUInt32LittleEndian(e[8..]), BinaryPrimitives.ReadUInt32LittleEndian(e[12..])));
        }
        return list;
    }

    /// <summary>libblockdriver's parse_part_table(): shrink the entry to fit in [base, limit) sectors.</summary>
    private static PartitionEntry Clamp(string name, string? parent, RawEntry r, long baseSector, long limit)
    {
        long low = r.First;
        long end = (long)r.First + r.Sectors;
        if (end > limit)
        {
            end = limit;
        }
        if (low < baseSector)
        {
            low = baseSector;
        }
        if (end < low)
        {
            end = low;
        }
        bool clamped = low != r.First || end - low != r.Sectors;
        return new PartitionEntry(name, parent, r.Slot, (r.Boot & 0x80) != 0, r.Type, r.First, r.Sectors, low * SectorSize, (end - low) * SectorSize, clamped);
    }

    private readonly record struct RawEntry(int Slot, byte Boot, byte Type, uint First, uint Sectors);
}
