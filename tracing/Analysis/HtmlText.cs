using System.Globalization;
using System.Net;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>Escaping and number formatting shared by the HTML report's parts.</summary>
internal static class HtmlText
{
    /// <summary>Text for an element or a quoted attribute.</summary>
    public static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A count as the Markdown report writes it (thin groups: 65 631).</summary>
    public static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ');

    public static string N(ulong v) => v.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ');

    /// <summary>Bytes with a binary unit after the exact figure when it is large.</summary>
    public static string B(ulong v) => v >= 1 << 20 ? $"{N(v)} B ({(v / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB)"
        : v >= 1 << 10 ? $"{N(v)} B ({(v / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} KiB)" : $"{N(v)} B";

    /// <summary>A coordinate for SVG (invariant, one decimal).</summary>
    public static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The data-procs attribute value: process names joined by '|' (names never hold one).</summary>
    public static string Procs(IEnumerable<string> names) => E(string.Join('|', names.Distinct(StringComparer.Ordinal)));

    /// <summary>A numeric table cell that sorts by its exact value.</summary>
    public static string Num(long v) => $"<td class=\"n\" data-v=\"{v.ToString(CultureInfo.InvariantCulture)}\">{N(v)}</td>";

    public static string Num(ulong v) => $"<td class=\"n\" data-v=\"{v.ToString(CultureInfo.InvariantCulture)}\">{N(v)}</td>";

    /// <summary>Cuts a label for a graph node (the full name is in its tooltip).</summary>
    public static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
