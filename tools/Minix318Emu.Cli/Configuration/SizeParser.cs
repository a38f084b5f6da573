using System.Globalization;

namespace Minix318Emu.Cli.Configuration;

/// <summary>Parses memory sizes such as 256M, 1G, 65536K or a plain byte count.</summary>
public static class SizeParser
{
    /// <summary>Parses <paramref name="text"/> for the option <paramref name="option"/>, or throws a <see cref="UsageException"/>.</summary>
    public static ulong Parse(string option, string text)
    {
        string t = text.Trim();
        ulong mult = 1;
        if (t.Length > 0)
        {
            char last = char.ToUpperInvariant(t[^1]);
            mult = last switch { 'K' => 1ul << 10, 'M' => 1ul << 20, 'G' => 1ul << 30, _ => 1 };
            if (mult != 1)
            {
                t = t[..^1];
            }
            else if (t.EndsWith("B", StringComparison.OrdinalIgnoreCase) && t.Length > 2)
            {
                return Parse(option, t[..^1]);
            }
        }
        if (!ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) || n == 0)
        {
            throw new UsageException($"{option} '{text}': expected a size like 256M, 1G or a byte count");
        }
        return checked(n * mult);
    }
}
