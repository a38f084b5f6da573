using Minix318Emu.Emulator.Snapshots;

namespace Minix318Emu.Emulator.Memory;

/// <summary>
/// RAM in a snapshot, sparse: only the 4 KiB pages that hold a non-zero byte are stored (page
/// number, then the page), and the file's compression squeezes what they hold. Loading zeroes
/// every other page. The A20 gate goes with it; MMIO mappings are the board's (a relocated
/// local APIC is mapped again from IA32_APIC_BASE by the CPU's part).
/// </summary>
public sealed partial class PhysicalMemory : ISnapshotState
{
    private const int PageBytes = 1 << PageShift;

    /// <summary>The devices mapped into the address space, in mapping order (a snapshot checks each has state support).</summary>
    public IEnumerable<IMmioDevice> MmioDevices => _mmio.Select(m => m.Device);

    /// <summary>The pages marked as holding translated code (the CPU's TLB part saves them: they decide where fast write entries may exist).</summary>
    internal List<int> CodePageNumbers()
    {
        var pages = new List<int>();
        for (int p = _codePages.AsSpan().IndexOf((byte)1); p >= 0;)
        {
            pages.Add(p);
            int next = _codePages.AsSpan(p + 1).IndexOf((byte)1);
            p = next < 0 ? -1 : p + 1 + next;
        }
        return pages;
    }

    /// <summary>Replaces the code-page marks with <paramref name="pages"/>.</summary>
    internal void SetCodePageNumbers(IEnumerable<int> pages)
    {
        Array.Clear(_codePages);
        foreach (int p in pages)
        {
            _codePages[p] = 1;
        }
    }

    /// <summary>
    /// Zeroes the pages [from, to) that are not zero already. Testing first is what makes a load
    /// cheap: a page the guest never touched is still the host's shared zero page, which reading
    /// maps for a read fault, while writing zeros to it makes the host allocate and clear a real
    /// page. Array.Clear of a fresh 256 MiB machine's RAM was 300-700 ms of a 400-900 ms load.
    /// </summary>
    private void ZeroPages(int from, int to)
    {
        for (int page = from; page < to; page++)
        {
            Span<byte> p = Ram.AsSpan(page << PageShift, PageBytes);
            if (p.ContainsAnyExcept((byte)0))
            {
                p.Clear();
            }
        }
    }

    /// <inheritdoc/>
    public void SyncState(StateSync s)
    {
        uint size = s.U32(RamSize);
        if (size != RamSize)
        {
            throw s.Corrupt($"{size} bytes of RAM saved, this machine has {RamSize}");
        }
        SetA20(s.Bool(A20Enabled));
        int pages = (int)(RamSize >> PageShift);
        if (s.Loading)
        {
            int n = s.Count(0, pages, "RAM pages");
            int next = 0; // the pages below are loaded or zero
            for (int i = 0; i < n; i++)
            {
                int page = s.I32(0);
                if ((uint)page >= (uint)pages)
                {
                    throw s.Corrupt($"RAM page {page} is beyond the {pages} pages of this machine");
                }
                if (page < next)
                {
                    throw s.Corrupt($"RAM page {page} comes after page {next - 1} (pages are saved in increasing order)");
                }
                ZeroPages(next, page);
                s.Bytes(Ram.AsSpan(page << PageShift, PageBytes));
                next = page + 1;
            }
            ZeroPages(next, pages);
            MappingChanged?.Invoke();
            return;
        }
        var used = new List<int>();
        for (int page = 0; page < pages; page++)
        {
            if (Ram.AsSpan(page << PageShift, PageBytes).ContainsAnyExcept((byte)0))
            {
                used.Add(page);
            }
        }
        s.Count(used.Count, pages, "RAM pages");
        foreach (int page in used)
        {
            s.I32(page);
            s.Bytes(Ram.AsSpan(page << PageShift, PageBytes));
        }
    }
}
