namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// A physical page that holds decoded code: its blocks, and which of its bytes those blocks
/// were decoded from. A write to the page invalidates the blocks only when it touches one of
/// those bytes; data that shares a page with code (a small kernel's globals right after its
/// text) is written without throwing the page's decoded blocks away.
/// </summary>
internal sealed class CodePage
{
    private readonly ulong[] _bytes = new ulong[4096 / 64];

    /// <summary>The blocks decoded (in whole or in part) from this page.</summary>
    public List<Block> Blocks { get; } = new();

    /// <summary>Marks bytes <paramref name="start"/> .. <paramref name="end"/>-1 (offsets in the page) as code.</summary>
    public void Mark(int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            _bytes[i >> 6] |= 1ul << (i & 63);
        }
    }

    /// <summary>Whether any of <paramref name="count"/> bytes from <paramref name="start"/> (clipped to the page) is code.</summary>
    public bool Overlaps(int start, int count)
    {
        int end = Math.Min(start + count, 4096);
        for (int i = Math.Max(start, 0); i < end; i++)
        {
            if ((_bytes[i >> 6] & (1ul << (i & 63))) != 0)
            {
                return true;
            }
        }
        return false;
    }
}
