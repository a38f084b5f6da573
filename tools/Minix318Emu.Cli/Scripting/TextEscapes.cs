using System.Globalization;
using System.Text;

namespace Minix318Emu.Cli.Scripting;

/// <summary>
/// C-style escapes in console-script text: \n \r \t \e (ESC) \a \b \0 \\ \" and \xHH, so a
/// script can name the Enter key, control characters and trailing spaces.
/// </summary>
public static class TextEscapes
{
    /// <summary>Decodes <paramref name="text"/>; a bad escape is a <see cref="FormatException"/> naming it.</summary>
    public static string Decode(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= text.Length)
            {
                throw new FormatException("a lone backslash at the end of the text");
            }
            char e = text[i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'e': sb.Append('\x1B'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case '0': sb.Append('\0'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case 'x':
                    if (text.Length - i - 1 < 2 || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte b))
                    {
                        throw new FormatException($"\\x at offset {i - 1} needs two hexadecimal digits");
                    }
                    sb.Append((char)b);
                    i += 2;
                    break;
                default:
                    throw new FormatException($"unknown escape \\{e}");
            }
        }
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="text"/> back with escapes, for messages.</summary>
    public static string Encode(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\\' => "\\\\",
                '"' => "\\\"",
                < ' ' or '\x7F' => $"\\x{(int)c:X2}",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
