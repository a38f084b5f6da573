using System.Reflection;
using CommandLine;
using Minix318Emu.Cli.Configuration;

namespace Minix318Emu.Cli.Options;

/// <summary>
/// Refuses an option that takes one value given more than once (`--debugcon A --debugcon B`):
/// the parser allows repeats, for the options that collect (`--disk`, `--module`, `--expect`
/// ...), and would silently keep only the last of the others.
/// </summary>
public static class RepeatedOptions
{
    private static readonly Type[] s_verbs =
    {
        typeof(RunOptions), typeof(TraceOptions), typeof(AnalyzeOptions), typeof(BenchOptions),
        typeof(ConformanceOptions), typeof(ImageOptions),
    };

    /// <summary>Throws <see cref="UsageException"/> naming the first single-value option given twice in <paramref name="args"/> (verb first).</summary>
    public static void Check(string[] args)
    {
        if (args.Length == 0)
        {
            return;
        }
        Type? verb = s_verbs.FirstOrDefault(t => t.GetCustomAttribute<VerbAttribute>()?.Name == args[0]);
        if (verb is null)
        {
            return;
        }
        var options = verb.GetProperties()
            .Select(p => (Property: p, Option: p.GetCustomAttribute<OptionAttribute>()))
            .Where(o => o.Option?.LongName is { Length: > 0 })
            .ToDictionary(o => o.Option!.LongName, o => o.Property.PropertyType);
        var seen = new Dictionary<string, string>();
        for (int i = 1; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--")
            {
                return;
            }
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }
            int eq = a.IndexOf('=');
            string name = eq < 0 ? a[2..] : a[2..eq];
            if (!options.TryGetValue(name, out Type? type))
            {
                continue;
            }
            bool takesValue = type != typeof(bool);
            string value = eq >= 0 ? a[(eq + 1)..] : takesValue && i + 1 < args.Length ? args[i + 1] : "";
            if (takesValue && eq < 0)
            {
                i++; // the value, which may itself begin with "--"
            }
            bool collects = type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type);
            if (collects || !takesValue)
            {
                continue;
            }
            if (seen.TryGetValue(name, out string? first))
            {
                throw new UsageException($"--{name} given twice ('{first}', then '{value}'): it takes one value; give it once");
            }
            seen[name] = value;
        }
    }
}
