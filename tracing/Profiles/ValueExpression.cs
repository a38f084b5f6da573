using System.Globalization;

namespace Minix318Emu.Tracing.Profiles;

/// <summary>A parsed value expression of a profile (see <see cref="FunctionProfile"/>).</summary>
public readonly record struct ValueExpression(ValueExpression.Kinds Kind, int Arg, int Arg2, uint Constant)
{
    /// <summary>The expression forms of <see cref="FunctionProfile"/>; the expression's Arg, Arg2 and Constant are their operands.</summary>
    public enum Kinds : byte
    {
        /// <summary>"argN": argument Arg, unsigned.</summary>
        Arg,

        /// <summary>"argN*argM": argument Arg times argument Arg2 (calloc's count and size), as a 64-bit product.</summary>
        ArgTimesArg,

        /// <summary>"argN*C": argument Arg times Constant.</summary>
        ArgTimesConst,

        /// <summary>"mem:argN+OFF": the 32-bit value at guest address argument Arg plus Constant, read at entry.</summary>
        MemAtArgPlus,

        /// <summary>"eax": the function's result, read at its return.</summary>
        Result,

        /// <summary>A number (decimal or 0x hex): Constant itself.</summary>
        Constant,

        /// <summary>"out:argN": the 32-bit value the function stored through pointer argument Arg, read at its return.</summary>
        OutPointer,

        /// <summary>"int:argN": argument Arg as a signed 32-bit integer; below zero it is a size given back.</summary>
        SignedArg,
    }

    /// <summary>Parses an expression.</summary>
    public static bool TryParse(string text, out ValueExpression e)
    {
        e = default;
        string t = text.Replace(" ", "");
        if (t == "eax")
        {
            e = new ValueExpression(Kinds.Result, 0, 0, 0);
            return true;
        }
        if (t.StartsWith("out:", StringComparison.Ordinal))
        {
            // The value the function stored through pointer argument N, read when it returns.
            if (TryArg(t[4..], out int oa))
            {
                e = new ValueExpression(Kinds.OutPointer, oa, 0, 0);
                return true;
            }
            return false;
        }
        if (t.StartsWith("int:", StringComparison.Ordinal))
        {
            // A signed argument (intptr_t, as sbrk's increment): below zero it is a size given back.
            if (TryArg(t[4..], out int ia))
            {
                e = new ValueExpression(Kinds.SignedArg, ia, 0, 0);
                return true;
            }
            return false;
        }
        if (t.StartsWith("mem:", StringComparison.Ordinal))
        {
            string[] p = t[4..].Split('+');
            if (TryArg(p[0], out int a) && (p.Length == 1 || TryNumber(p[1], out _)))
            {
                uint off = p.Length == 2 && TryNumber(p[1], out uint o) ? o : 0;
                e = new ValueExpression(Kinds.MemAtArgPlus, a, 0, off);
                return true;
            }
            return false;
        }
        string[] f = t.Split('*');
        if (f.Length == 2 && TryArg(f[0], out int x))
        {
            if (TryArg(f[1], out int y))
            {
                e = new ValueExpression(Kinds.ArgTimesArg, x, y, 0);
                return true;
            }
            if (TryNumber(f[1], out uint c))
            {
                e = new ValueExpression(Kinds.ArgTimesConst, x, 0, c);
                return true;
            }
            return false;
        }
        if (TryArg(t, out int arg))
        {
            e = new ValueExpression(Kinds.Arg, arg, 0, 0);
            return true;
        }
        if (TryNumber(t, out uint n))
        {
            e = new ValueExpression(Kinds.Constant, 0, 0, n);
            return true;
        }
        return false;
    }

    private static bool TryArg(string s, out int n)
    {
        n = -1;
        return s.StartsWith("arg", StringComparison.Ordinal) && int.TryParse(s[3..], out n) && n is >= 0 and < 4;
    }

    private static bool TryNumber(string s, out uint v) =>
        s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out v)
            : uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v);
}
