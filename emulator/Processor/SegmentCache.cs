namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// The hidden part of a segment register: what the CPU loaded from the descriptor. The access
/// checks are precomputed at load time so that every memory access costs one range compare.
/// </summary>
public struct SegmentCache
{
    /// <summary>The visible selector.</summary>
    public ushort Selector;

    /// <summary>Linear base address.</summary>
    public uint Base;

    /// <summary>Byte-granular limit as in the descriptor (after G scaling).</summary>
    public uint Limit;

    /// <summary>Descriptor access byte in bits 0-7 (type, S, DPL, P) and the AVL/L/D-B/G nibble in bits 8-11.</summary>
    public ushort Attr;

    /// <summary>Lowest valid offset (limit+1 for expand-down segments).</summary>
    public uint Low;

    /// <summary>Highest valid offset minus <see cref="Low"/>.</summary>
    public uint Span;

    /// <summary>Reads are allowed (false for a null selector or an execute-only code segment).</summary>
    public bool Readable;

    /// <summary>Writes are allowed (writable data segments only in protected mode).</summary>
    public bool Writable;

    /// <summary>The D/B bit: 32-bit code, stack or expand-down upper bound.</summary>
    public readonly bool Big => (Attr & 0x400) != 0;

    /// <summary>Descriptor privilege level.</summary>
    public readonly int Dpl => (Attr >> 5) & 3;

    /// <summary>The type nibble of the access byte.</summary>
    public readonly int Type => Attr & 0xF;

    /// <summary>Whether the descriptor is a code segment.</summary>
    public readonly bool IsCode => (Attr & 0x18) == 0x18;

    /// <summary>Recomputes <see cref="Low"/>, <see cref="Span"/> and the permissions from base, limit and attributes.</summary>
    public void Refresh(bool protectedMode)
    {
        if (!protectedMode)
        {
            // Real mode keeps whatever limit the cache holds (unreal mode is possible) and allows everything.
            Low = 0;
            Span = Limit;
            Readable = true;
            Writable = true;
            return;
        }
        bool present = (Attr & 0x80) != 0;
        bool code = IsCode;
        bool expandDown = !code && (Attr & 0x14) == 0x14;
        if (expandDown)
        {
            uint top = Big ? 0xFFFF_FFFFu : 0xFFFFu;
            Low = Limit + 1;
            Span = Low > top ? 0 : top - Low;
            if (Low > top || Limit == top)
            {
                // An expand-down segment whose limit is its top has no valid offsets.
                present = false;
            }
        }
        else
        {
            Low = 0;
            Span = Limit;
        }
        Readable = present && (!code || (Attr & 2) != 0) && (Attr & 0x10) != 0;
        Writable = present && !code && (Attr & 2) != 0 && (Attr & 0x10) != 0;
    }

    /// <summary>A segment that refuses every access (a null selector loaded in protected mode).</summary>
    public static SegmentCache Unusable(ushort selector) => new() { Selector = selector, Readable = false, Writable = false, Span = 0 };
}
