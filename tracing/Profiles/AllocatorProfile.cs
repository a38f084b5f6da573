using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Minix318Emu.Tracing.Profiles;

/// <summary>
/// A named set of hooked functions, loaded through Microsoft.Extensions.Configuration from a
/// JSON file or a built-in profile (minix318, minix3), so users add their own without
/// recompiling. Schema: { "Name": "...", "Functions": [ FunctionProfile... ] }.
/// </summary>
public sealed class AllocatorProfile
{
    /// <summary>The profile's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The functions.</summary>
    public List<FunctionProfile> Functions { get; set; } = new();

    /// <summary>Built-in profile names.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = new[] { "minix318", "minix3" };

    /// <summary>Loads a built-in profile by name, or a JSON file by path.</summary>
    public static AllocatorProfile Load(string nameOrPath)
    {
        IConfiguration config;
        if (BuiltInNames.Contains(nameOrPath))
        {
            Stream s = typeof(AllocatorProfile).Assembly.GetManifestResourceStream($"profiles.{nameOrPath}.json")
                ?? throw new InvalidOperationException($"built-in profile {nameOrPath} is missing from the assembly");
            config = new ConfigurationBuilder().AddJsonStream(s).Build();
        }
        else
        {
            if (!File.Exists(nameOrPath))
            {
                throw new ProfileException($"{nameOrPath}: no such profile file (built-in profiles: {string.Join(", ", BuiltInNames)})");
            }
            try
            {
                config = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(nameOrPath), optional: false).Build();
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
            {
                throw new ProfileException($"{nameOrPath}: not a valid JSON profile ({e.Message})");
            }
        }
        var profile = new AllocatorProfile();
        try
        {
            config.Bind(profile);
        }
        catch (InvalidOperationException e)
        {
            throw new ProfileException($"{nameOrPath}: {e.InnerException?.Message ?? e.Message}");
        }
        profile.Validate(nameOrPath);
        return profile;
    }

    private void Validate(string source)
    {
        if (Functions.Count == 0)
        {
            throw new ProfileException($"{source}: the profile names no functions");
        }
        foreach (FunctionProfile f in Functions)
        {
            if (f.Symbol.Length == 0)
            {
                throw new ProfileException($"{source}: a function has no Symbol");
            }
            if (f.Scope is not ("kernel" or "user"))
            {
                throw new ProfileException($"{source}: {f.Symbol}: Scope must be kernel or user, not '{f.Scope}'");
            }
            if (f.Args is < 0 or > 4)
            {
                throw new ProfileException($"{source}: {f.Symbol}: Args must be 0 to 4");
            }
            foreach (string expr in new[] { f.Size, f.Pointer })
            {
                if (expr.Length > 0 && !ValueExpression.TryParse(expr, out _))
                {
                    throw new ProfileException($"{source}: {f.Symbol}: cannot understand the value expression '{expr}'");
                }
            }
        }
    }
}
