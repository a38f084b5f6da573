using System.Globalization;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// A difference printed with its sign: "+1.2", "-0.4", and "+0.0" for anything that rounds to
/// zero. .NET's "+0.0;-0.0" section format prints a small negative value as "-+0.0" (the value
/// is negative, the rounded digits are zero, and both signs come out), which is what a tight
/// trace-against-run comparison produced once on a quiet machine.
/// </summary>
public static class SignedNumber
{
    /// <summary>Formats <paramref name="value"/> with <paramref name="decimals"/> decimals and an explicit sign.</summary>
    public static string Format(double value, int decimals)
    {
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        string digits = Math.Abs(rounded).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return (rounded < 0 ? "-" : "+") + digits;
    }
}
