using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Lazy status flags. An arithmetic instruction records its operation, operands and result; a
/// flag is computed only when something reads it. Most results are overwritten before anyone
/// looks, so this saves the work on the common path.
/// </summary>
public sealed partial class Cpu
{
    private static readonly byte[] s_parity = BuildParity();

    private static byte[] BuildParity()
    {
        var t = new byte[256];
        for (int i = 0; i < 256; i++)
        {
            t[i] = (byte)((System.Numerics.BitOperations.PopCount((uint)i) & 1) == 0 ? 1 : 0);
        }
        return t;
    }

    /// <summary>The sign bit of an operand of <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint SignBit(int size) => 1u << (size * 8 - 1);

    /// <summary>The mask of an operand of <paramref name="size"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint SizeMask(int size) => size == 4 ? 0xFFFF_FFFFu : (1u << (size * 8)) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetLazy(LazyOp op, uint res, uint dst, uint src, int size)
    {
        Lop = op;
        LazyResult = res;
        LazyDst = dst;
        LazySrc = src;
        LazySign = SignBit(size);
    }

    /// <summary>Sets the six status flags explicitly from <paramref name="bits"/> (only the status bits are used).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetStatusFlags(uint bits)
    {
        Lop = LazyOp.Explicit;
        FlagBits = bits & EFlags.Arith;
    }

    /// <summary>The carry flag.</summary>
    internal bool CF
    {
        get
        {
            switch (Lop)
            {
                case LazyOp.Explicit: return (FlagBits & EFlags.CF) != 0;
                case LazyOp.Add: return LazyResult < LazyDst;
                case LazyOp.Adc: return LazyResult < LazyDst || (LazyCarry && LazyResult == LazyDst);
                case LazyOp.Sub: return LazyDst < LazySrc;
                case LazyOp.Sbb: return LazyCarry ? LazyDst <= LazySrc : LazyDst < LazySrc;
                case LazyOp.Logic: return false;
                default: return LazyCarry; // INC and DEC keep the carry they found
            }
        }
    }

    /// <summary>The zero flag.</summary>
    internal bool ZF => Lop == LazyOp.Explicit ? (FlagBits & EFlags.ZF) != 0 : LazyResult == 0;

    /// <summary>The sign flag.</summary>
    internal bool SF => Lop == LazyOp.Explicit ? (FlagBits & EFlags.SF) != 0 : (LazyResult & LazySign) != 0;

    /// <summary>The parity flag: even parity of the low byte of the result.</summary>
    internal bool PF => Lop == LazyOp.Explicit ? (FlagBits & EFlags.PF) != 0 : s_parity[LazyResult & 0xFF] != 0;

    /// <summary>The overflow flag.</summary>
    internal bool OF
    {
        get
        {
            switch (Lop)
            {
                case LazyOp.Explicit: return (FlagBits & EFlags.OF) != 0;
                case LazyOp.Add:
                case LazyOp.Adc: return ((LazyDst ^ LazyResult) & (LazySrc ^ LazyResult) & LazySign) != 0;
                case LazyOp.Sub:
                case LazyOp.Sbb: return ((LazyDst ^ LazySrc) & (LazyDst ^ LazyResult) & LazySign) != 0;
                case LazyOp.Inc: return LazyResult == LazySign;
                case LazyOp.Dec: return LazyResult == LazySign - 1;
                default: return false;
            }
        }
    }

    /// <summary>The auxiliary-carry flag (carry out of bit 3).</summary>
    internal bool AF
    {
        get
        {
            switch (Lop)
            {
                case LazyOp.Explicit: return (FlagBits & EFlags.AF) != 0;
                case LazyOp.Logic: return false;
                case LazyOp.Inc: return (LazyResult & 0xF) == 0;
                case LazyOp.Dec: return (LazyResult & 0xF) == 0xF;
                default: return ((LazyDst ^ LazySrc ^ LazyResult) & 0x10) != 0;
            }
        }
    }

    /// <summary>The whole EFLAGS register.</summary>
    public uint GetFlags()
    {
        if (Lop == LazyOp.Explicit)
        {
            return FlagsOther | FlagBits;
        }
        uint f = FlagsOther;
        if (CF) f |= EFlags.CF;
        if (PF) f |= EFlags.PF;
        if (AF) f |= EFlags.AF;
        if (ZF) f |= EFlags.ZF;
        if (SF) f |= EFlags.SF;
        if (OF) f |= EFlags.OF;
        return f;
    }

    /// <summary>Sets the whole EFLAGS register (no privilege filtering: callers apply POPF/IRET rules).</summary>
    public void SetFlags(uint value)
    {
        FlagsOther = (value & ~EFlags.Arith & EFlags.Writable) | EFlags.Reserved1;
        SetStatusFlags(value);
    }

    /// <summary>Replaces only the status flags in <paramref name="mask"/> with those of <paramref name="value"/>.</summary>
    internal void SetSomeStatusFlags(uint mask, uint value)
    {
        uint cur = GetFlags() & EFlags.Arith;
        SetStatusFlags((cur & ~mask) | (value & mask));
    }

    /// <summary>The interrupt flag.</summary>
    public bool IF => (FlagsOther & EFlags.IF) != 0;

    /// <summary>The direction flag.</summary>
    internal bool DF => (FlagsOther & EFlags.DF) != 0;

    /// <summary>The I/O privilege level.</summary>
    internal int Iopl => (int)((FlagsOther >> 12) & 3);

    /// <summary>Evaluates condition code <paramref name="cc"/> (0 = O ... 15 = G, as in Jcc's low nibble).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Cond(int cc)
    {
        if (Lop == LazyOp.Sub)
        {
            // CMP followed by Jcc is the hot pair; answer it from the operands directly.
            switch (cc)
            {
                case 2: return LazyDst < LazySrc;
                case 3: return LazyDst >= LazySrc;
                case 4: return LazyDst == LazySrc;
                case 5: return LazyDst != LazySrc;
                case 6: return LazyDst <= LazySrc;
                case 7: return LazyDst > LazySrc;
            }
        }
        bool r = (cc >> 1) switch
        {
            0 => OF,
            1 => CF,
            2 => ZF,
            3 => CF || ZF,
            4 => SF,
            5 => PF,
            6 => SF != OF,
            _ => ZF || SF != OF,
        };
        return r ^ ((cc & 1) != 0);
    }
}
