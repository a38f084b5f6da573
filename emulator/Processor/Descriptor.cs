namespace Minix318Emu.Emulator.Processor;

/// <summary>A raw 8-byte segment or gate descriptor with its fields decoded (Intel SDM Vol. 3A, 3.4.5 and 6.11).</summary>
internal readonly struct Descriptor
{
    public readonly ulong Raw;

    public Descriptor(ulong raw) => Raw = raw;

    public uint Base => (uint)((Raw >> 16) & 0xFF_FFFF) | (uint)((Raw >> 56) << 24);

    public uint Limit
    {
        get
        {
            uint l = (uint)(Raw & 0xFFFF) | (uint)((Raw >> 32) & 0xF_0000);
            return Granular ? (l << 12) | 0xFFF : l;
        }
    }

    public byte Access => (byte)(Raw >> 40);

    public bool Granular => (Raw & (1ul << 55)) != 0;

    public bool Present => (Access & 0x80) != 0;

    public int Dpl => (Access >> 5) & 3;

    /// <summary>S bit: a code or data segment (not a system descriptor).</summary>
    public bool IsSegment => (Access & 0x10) != 0;

    public int Type => Access & 0xF;

    public bool IsCode => IsSegment && (Access & 8) != 0;

    public bool IsConforming => IsCode && (Access & 4) != 0;

    public bool IsReadable => !IsCode || (Access & 2) != 0;

    public bool IsWritableData => IsSegment && (Access & 8) == 0 && (Access & 2) != 0;

    /// <summary>The attribute word kept in <see cref="SegmentCache.Attr"/>.</summary>
    public ushort Attr => (ushort)(Access | (((Raw >> 52) & 0xF) << 8));

    // Gate fields.
    public ushort GateSelector => (ushort)(Raw >> 16);

    public uint GateOffset => (uint)(Raw & 0xFFFF) | (uint)((Raw >> 48) << 16);

    public int GateParamCount => (int)((Raw >> 32) & 0x1F);

    public SegmentCache ToCache(ushort selector)
    {
        var s = new SegmentCache { Selector = selector, Base = Base, Limit = Limit, Attr = Attr };
        s.Refresh(true);
        return s;
    }
}
