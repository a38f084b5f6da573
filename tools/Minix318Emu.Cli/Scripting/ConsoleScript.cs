using System.Globalization;

namespace Minix318Emu.Cli.Scripting;

/// <summary>
/// A headless console session written down: text to wait for on COM1 and text to type in
/// answer, delivered at the guest time the awaited text appears, so a scripted run is as
/// deterministic as an unscripted one. From `--expect TEXT` / `--send TEXT` pairs in command-line
/// order, or from `--console-script FILE` with one step a line:
/// <code>
/// # a comment
/// timeout 120s        guest-time bound for the expects that follow (default 300 s)
/// expect login:       wait for the text (the rest of the line, or a "quoted string")
/// sendline root       type the text and Enter (a carriage return, as a terminal sends it)
/// send "ls /\n"       type the text as given
/// wait 500ms          let guest time pass (ns, us, ms or s)
/// stop                end the run (exit code 0)
/// </code>
/// Text takes C escapes (\n \r \t \e \xHH \\ \"). An expect that does not appear within its
/// timeout ends the run with exit code 16, naming the step.
/// </summary>
public sealed class ConsoleScript
{
    /// <summary>The guest-time bound of an expect when the script sets none: 300 s.</summary>
    public const ulong DefaultTimeoutNanoseconds = 300_000_000_000;

    private ConsoleScript(IReadOnlyList<ConsoleStep> steps) => Steps = steps;

    /// <summary>The steps in order.</summary>
    public IReadOnlyList<ConsoleStep> Steps { get; }

    /// <summary>Reads a script file; a bad line is a <see cref="FormatException"/> naming the file, line and problem.</summary>
    public static ConsoleScript Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read the console script ({e.Message})");
        }
        return Parse(lines, path);
    }

    /// <summary>Parses script lines; <paramref name="source"/> names them in errors.</summary>
    public static ConsoleScript Parse(IReadOnlyList<string> lines, string source)
    {
        var steps = new List<ConsoleStep>();
        ulong timeout = DefaultTimeoutNanoseconds;
        for (int n = 0; n < lines.Count; n++)
        {
            string line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            int space = line.IndexOf(' ');
            string keyword = space < 0 ? line : line[..space];
            string rest = space < 0 ? "" : line[(space + 1)..].Trim();
            try
            {
                switch (keyword)
                {
                    case "expect":
                        steps.Add(new ConsoleStep(ConsoleStepKind.Expect, NonEmpty(Text(rest), keyword), 0, timeout));
                        break;
                    case "send":
                        steps.Add(new ConsoleStep(ConsoleStepKind.Send, NonEmpty(Text(rest), keyword), 0, 0));
                        break;
                    case "sendline":
                        steps.Add(new ConsoleStep(ConsoleStepKind.Send, Text(rest) + "\r", 0, 0));
                        break;
                    case "wait":
                        steps.Add(new ConsoleStep(ConsoleStepKind.Wait, "", Duration(rest), 0));
                        break;
                    case "timeout":
                        timeout = Duration(rest);
                        break;
                    case "stop":
                        if (rest.Length > 0)
                        {
                            throw new FormatException("stop takes nothing after it");
                        }
                        steps.Add(new ConsoleStep(ConsoleStepKind.Stop, "", 0, 0));
                        break;
                    default:
                        throw new FormatException($"unknown step '{keyword}' (expected expect, send, sendline, wait, timeout or stop)");
                }
            }
            catch (FormatException e)
            {
                throw new FormatException($"{source}:{n + 1}: {e.Message}");
            }
        }
        return new ConsoleScript(steps);
    }

    /// <summary>
    /// The script of `--expect TEXT` and `--send TEXT` options, in the order they appear in
    /// <paramref name="args"/> (`--expect=TEXT` too); null when there are none.
    /// </summary>
    public static ConsoleScript? FromArguments(IReadOnlyList<string> args)
    {
        var steps = new List<ConsoleStep>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            foreach ((string name, ConsoleStepKind kind) in new[] { ("--expect", ConsoleStepKind.Expect), ("--send", ConsoleStepKind.Send) })
            {
                string? value = a == name ? (i + 1 < args.Count ? args[++i] : null)
                    : a.StartsWith(name + "=", StringComparison.Ordinal) ? a[(name.Length + 1)..] : null;
                if (a == name && value is null)
                {
                    throw new FormatException($"{name} needs a text");
                }
                if (value is null)
                {
                    continue;
                }
                string text;
                try
                {
                    text = TextEscapes.Decode(value);
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{name} '{value}': {e.Message}");
                }
                if (text.Length == 0)
                {
                    throw new FormatException($"{name}: the text is empty");
                }
                steps.Add(new ConsoleStep(kind, text, 0, kind == ConsoleStepKind.Expect ? DefaultTimeoutNanoseconds : 0));
                break;
            }
        }
        return steps.Count == 0 ? null : new ConsoleScript(steps);
    }

    private static string NonEmpty(string text, string keyword) =>
        text.Length > 0 ? text : throw new FormatException($"{keyword} needs a text");

    /// <summary>The text of a step: a "quoted string" (escapes inside), or the rest of the line.</summary>
    private static string Text(string rest)
    {
        if (rest.StartsWith('"'))
        {
            int end = 1;
            while (end < rest.Length && rest[end] != '"')
            {
                end += rest[end] == '\\' ? 2 : 1;
            }
            if (end >= rest.Length)
            {
                throw new FormatException("the quoted text has no closing quote");
            }
            if (rest[(end + 1)..].Trim().Length > 0)
            {
                throw new FormatException($"text after the closing quote: '{rest[(end + 1)..].Trim()}'");
            }
            return TextEscapes.Decode(rest[1..end]);
        }
        return TextEscapes.Decode(rest);
    }

    /// <summary>Writes a duration the way scripts give them: 300 s, 2.5 ms, 20 us, 7 ns.</summary>
    public static string FormatDuration(ulong ns) => ns switch
    {
        >= 1_000_000_000 => $"{ns / 1e9:0.###} s",
        >= 1_000_000 => $"{ns / 1e6:0.###} ms",
        >= 1_000 => $"{ns / 1e3:0.###} us",
        _ => $"{ns} ns",
    };

    /// <summary>A guest-time duration: a number and ns, us, ms or s.</summary>
    public static ulong Duration(string text)
    {
        (string unit, double scale)[] units = [("ns", 1), ("us", 1e3), ("ms", 1e6), ("s", 1e9)];
        foreach ((string unit, double scale) in units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                && v >= 0 && v * scale < 1.8e19)
            {
                return (ulong)(v * scale);
            }
        }
        throw new FormatException($"'{text}' is not a duration (a number and ns, us, ms or s, e.g. 500ms)");
    }
}
