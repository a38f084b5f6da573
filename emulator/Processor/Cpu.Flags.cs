using System.Runtime.CompilerServices;

namespace Minix318Emu.Emulator.Processor;

/// <summary>
/// Lazy status flags. An arithmetic instruction records its operation, operands and result; a
/// flag is computed only when something reads it. Most results are overwritten before anyone
/// looks, so this saves the work on the common path.
/// </summary>
public sealed partial class Cpu
{
    /// <summary>The kind of the last flag-setting operation.</summary>
    internal enum LazyOp : byte
    {
        /// <summary>The status flags are stored explicitly in <see cref="_flagBits"/>.</summary>
        Explicit,
        Add,
        Adc,
        Sub,
        Sbb,
        Logic,
        Inc,
        Dec,
    }

    private LazyOp _lop;
    private uint _lres, _ldst, _lsrc, _lsign; // values masked to the operand size; _lsign is its sign bit
    private bool _lcf;                        // carry-in (ADC/SBB) or the preserved CF (INC/DEC)
    private uint _flagBits;                   // explicit status flags when _lop == Explicit
    private uint _flagsOther;                 // every EFLAGS bit that is not a status flag (IF, DF, IOPL, ...)

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
        _lop = op;
        _lres = res;
        _ldst = dst;
        _lsrc = src;
        _lsign = SignBit(size);
    }

    /// <summary>Sets the six status flags explicitly from <paramref name="bits"/> (only the status bits are used).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetStatusFlags(uint bits)
    {
        _lop = LazyOp.Explicit;
        _flagBits = bits & EFlags.Arith;
    }

    /// <summary>The carry flag.</summary>
    internal bool CF
    {
        get
        {
            switch (_lop)
            {
                case LazyOp.Explicit: return (_flagBits & EFlags.CF) != 0;
                case LazyOp.Add: return _lres < _ldst;
                case LazyOp.Adc: return _lres < _ldst || (_lcf && _lres == _ldst);
                case LazyOp.Sub: return _ldst < _lsrc;
                case LazyOp.Sbb: return _lcf ? _ldst <= _lsrc : _ldst < _lsrc;
                case LazyOp.Logic: return false;
                default: return _lcf; // INC and DEC keep the carry they found
            }
        }
    }

    /// <summary>The zero flag.</summary>
    internal bool ZF => _lop == LazyOp.Explicit ? (_flagBits & EFlags.ZF) != 0 : _lres == 0;

    /// <summary>The sign flag.</summary>
    internal bool SF => _lop == LazyOp.Explicit ? (_flagBits & EFlags.SF) != 0 : (_lres & _lsign) != 0;

    /// <summary>The parity flag: even parity of the low byte of the result.</summary>
    internal bool PF => _lop == LazyOp.Explicit ? (_flagBits & EFlags.PF) != 0 : s_parity[_lres & 0xFF] != 0;

    /// <summary>The overflow flag.</summary>
    internal bool OF
    {
        get
        {
            switch (_lop)
            {
                case LazyOp.Explicit: return (_flagBits & EFlags.OF) != 0;
                case LazyOp.Add:
                case LazyOp.Adc: return ((_ldst ^ _lres) & (_lsrc ^ _lres) & _lsign) != 0;
                case LazyOp.Sub:
                case LazyOp.Sbb: return ((_ldst ^ _lsrc) & (_ldst ^ _lres) & _lsign) != 0;
                case LazyOp.Inc: return _lres == _lsign;
                case LazyOp.Dec: return _lres == _lsign - 1;
                default: return false;
            }
        }
    }

    /// <summary>The auxiliary-carry flag (carry out of bit 3).</summary>
    internal bool AF
    {
        get
        {
            switch (_lop)
            {
                case LazyOp.Explicit: return (_flagBits & EFlags.AF) != 0;
                case LazyOp.Logic: return false;
                case LazyOp.Inc: return (_lres & 0xF) == 0;
                case LazyOp.Dec: return (_lres & 0xF) == 0xF;
                default: return ((_ldst ^ _lsrc ^ _lres) & 0x10) != 0;
            }
        }
    }

    /// <summary>The whole EFLAGS register.</summary>
    public uint GetFlags()
    {
        if (_lop == LazyOp.Explicit)
        {
            return _flagsOther | _flagBits;
        }
        uint f = _flagsOther;
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
        _flagsOther = (value & ~EFlags.Arith & EFlags.Writable) | EFlags.Reserved1;
        SetStatusFlags(value);
    }

    /// <summary>Replaces only the status flags in <paramref name="mask"/> with those of <paramref name="value"/>.</summary>
    internal void SetSomeStatusFlags(uint mask, uint value)
    {
        uint cur = GetFlags() & EFlags.Arith;
        SetStatusFlags((cur & ~mask) | (value & mask));
    }

    /// <summary>The interrupt flag.</summary>
    public bool IF => (_flagsOther & EFlags.IF) != 0;

    /// <summary>The direction flag.</summary>
    internal bool DF => (_flagsOther & EFlags.DF) != 0;

    /// <summary>The I/O privilege level.</summary>
    internal int Iopl => (int)((_flagsOther >> 12) & 3);

    /// <summary>Evaluates condition code <paramref name="cc"/> (0 = O ... 15 = G, as in Jcc's low nibble).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Cond(int cc)
    {
        if (_lop == LazyOp.Sub)
        {
            // CMP followed by Jcc is the hot pair; answer it from the operands directly.
            switch (cc)
            {
                case 2: return _ldst < _lsrc;
                case 3: return _ldst >= _lsrc;
                case 4: return _ldst == _lsrc;
                case 5: return _ldst != _lsrc;
                case 6: return _ldst <= _lsrc;
                case 7: return _ldst > _lsrc;
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
