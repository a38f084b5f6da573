using System.Text;
using System.Text.RegularExpressions;
using static Minix318Emu.Tracing.Analysis.HtmlText;

namespace Minix318Emu.Tracing.Analysis;

/// <summary>
/// Renders the subset of Markdown that <see cref="MarkdownReport"/> writes (headings, paragraphs,
/// bullet lists, pipe tables, **bold**, `code`, [links](#anchor)) as HTML, so the HTML report
/// carries the Markdown report's sections word for word without a Markdown library.
/// </summary>
internal static partial class MarkdownHtml
{
    [GeneratedRegex(@"`([^`]*)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"\[([^\]]+)\]\((#[^)]*)\)")]
    private static partial Regex Link();

    /// <summary>The HTML of <paramref name="markdown"/>; headings get ids as code hosts make them (lower case, spaces to dashes).</summary>
    public static string Render(string markdown)
    {
        var sb = new StringBuilder();
        string[] lines = markdown.Split('\n');
        int i = 0;
        while (i < lines.Length)
        {
            string line = lines[i];
            if (line.Length == 0)
            {
                i++;
            }
            else if (line.StartsWith('#'))
            {
                int level = line.TakeWhile(c => c == '#').Count();
                string text = line[level..].Trim();
                string id = new string(text.ToLowerInvariant().Where(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or ' ' or '-').ToArray()).Replace(' ', '-');
                sb.Append($"<h{level + 1} id=\"md-{E(id)}\">{Inline(text)}</h{level + 1}>\n");
                i++;
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                sb.Append("<ul>\n");
                for (; i < lines.Length && lines[i].StartsWith("- ", StringComparison.Ordinal); i++)
                {
                    sb.Append($"<li>{Inline(lines[i][2..])}</li>\n");
                }
                sb.Append("</ul>\n");
            }
            else if (line.StartsWith('|'))
            {
                var rows = new List<string[]>();
                string[]? align = null;
                for (; i < lines.Length && lines[i].StartsWith('|'); i++)
                {
                    string[] cells = Cells(lines[i]);
                    if (cells.All(c => c.Trim().Trim(':').All(ch => ch == '-') && c.Contains('-')))
                    {
                        align = cells;
                        continue;
                    }
                    rows.Add(cells);
                }
                sb.Append("<div class=\"scroll\"><table>\n");
                for (int r = 0; r < rows.Count; r++)
                {
                    string tag = r == 0 ? "th" : "td";
                    sb.Append("<tr>");
                    for (int c = 0; c < rows[r].Length; c++)
                    {
                        bool right = align is not null && c < align.Length && align[c].EndsWith(':');
                        sb.Append($"<{tag}{(right ? " class=\"n\"" : "")}>{Inline(rows[r][c].Trim())}</{tag}>");
                    }
                    sb.Append("</tr>\n");
                }
                sb.Append("</table></div>\n");
            }
            else
            {
                var para = new List<string>();
                for (; i < lines.Length && lines[i].Length > 0 && !lines[i].StartsWith('#') && !lines[i].StartsWith('|') && !lines[i].StartsWith("- ", StringComparison.Ordinal); i++)
                {
                    para.Add(lines[i]);
                }
                sb.Append($"<p>{Inline(string.Join(' ', para))}</p>\n");
            }
        }
        return sb.ToString();
    }

    private static string[] Cells(string row)
    {
        string inner = row.Trim();
        inner = inner[1..];
        if (inner.EndsWith('|'))
        {
            inner = inner[..^1];
        }
        return inner.Split('|');
    }

    private static string Inline(string text)
    {
        // Code spans first, kept verbatim; then bold and links in the rest.
        var parts = new StringBuilder();
        int last = 0;
        foreach (Match m in CodeSpan().Matches(text))
        {
            parts.Append(Rest(text[last..m.Index]));
            parts.Append($"<code>{E(m.Groups[1].Value)}</code>");
            last = m.Index + m.Length;
        }
        parts.Append(Rest(text[last..]));
        return parts.ToString();
    }

    private static string Rest(string text)
    {
        string s = E(text);
        s = Bold().Replace(s, "<strong>$1</strong>");
        return Link().Replace(s, m => $"<a href=\"#md-{m.Groups[2].Value[1..]}\">{m.Groups[1].Value}</a>");
    }
}
