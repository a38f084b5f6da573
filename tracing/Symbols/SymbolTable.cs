using Minix318Emu.Images.Elf;

namespace Minix318Emu.Tracing.Symbols;

/// <summary>Function symbols of one image, sorted by address, for name lookups and "symbol+offset" names.</summary>
public sealed class SymbolTable
{
    private readonly (uint Start, uint Size, string Name)[] _sorted;
    private readonly Dictionary<string, uint> _byName = new();

    /// <summary>Builds the table from an ELF file's function and object symbols.</summary>
    public SymbolTable(ElfFile elf)
    {
        var list = new List<(uint, uint, string)>();
        foreach (ElfSymbol s in elf.Symbols)
        {
            if (s.Name.Length == 0 || s.Value == 0 || s.SectionIndex == 0)
            {
                continue;
            }
            _byName.TryAdd(s.Name, s.Value);
            if (s.Type == ElfSymbol.Function)
            {
                list.Add((s.Value, s.Size, s.Name)); // only functions name code addresses
            }
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        _sorted = list.ToArray();
    }

    /// <summary>The address of <paramref name="name"/>, if the image defines it.</summary>
    public bool TryFind(string name, out uint address) => _byName.TryGetValue(name, out address);

    /// <summary>The function containing <paramref name="address"/> and the offset into it, or null.</summary>
    public (string Name, uint Offset)? Lookup(uint address)
    {
        int lo = 0, hi = _sorted.Length - 1, best = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (_sorted[mid].Start <= address)
            {
                best = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (best < 0)
        {
            return null;
        }
        var (start, size, name) = _sorted[best];
        uint offset = address - start;
        if (size != 0 && offset >= size)
        {
            return null;
        }
        return (name, offset);
    }
}
