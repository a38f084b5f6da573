using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Minix318Emu.Cli.Options;

namespace Minix318Emu.Cli.Configuration;

/// <summary>Builds <see cref="EmulatorSettings"/> from appsettings.json, the environment and the command line, in that order of precedence (last wins).</summary>
public static class SettingsLoader
{
    /// <summary>The environment-variable prefix, e.g. MINIX318EMU_Machine__Memory=512M.</summary>
    public const string EnvironmentPrefix = "MINIX318EMU_";

    /// <summary>Loads the settings for a machine verb.</summary>
    public static EmulatorSettings Load(MachineOptions options)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables(EnvironmentPrefix);
        if (options.ConfigFile is not null)
        {
            if (!File.Exists(options.ConfigFile))
            {
                throw new UsageException($"--config {options.ConfigFile}: the file does not exist");
            }
            builder.AddJsonFile(Path.GetFullPath(options.ConfigFile), optional: false);
        }
        builder.AddInMemoryCollection(FromOptions(options));
        IConfiguration config;
        try
        {
            config = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new UsageException($"configuration: {e.Message}");
        }
        var settings = new EmulatorSettings();
        try
        {
            config.GetSection("Machine").Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException($"configuration section Machine: {e.InnerException?.Message ?? e.Message}");
        }
        RefuseNulls(settings);
        if (settings.Tier.Length == 0)
        {
            settings.Tier = TierDefault.ForCommandLine.ToString().ToLowerInvariant();
        }
        if (options.Modules.Any())
        {
            settings.Modules = options.Modules.ToList();
        }
        if (options.Disks.Any())
        {
            settings.Disks = options.Disks.ToList();
        }
        if (options.Floppies.Any())
        {
            settings.Floppies = options.Floppies.ToList();
        }
        return settings;
    }

    /// <summary>
    /// A JSON null binds as null even where the settings have no null (found by the
    /// configuration fuzzer: "Memory": null ended in a NullReferenceException); such a value, or a
    /// null list entry, is refused in one line naming the setting.
    /// </summary>
    private static void RefuseNulls(EmulatorSettings settings)
    {
        var nullability = new NullabilityInfoContext();
        foreach (PropertyInfo p in typeof(EmulatorSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? value = p.GetValue(settings);
            if (value is null && nullability.Create(p).WriteState == NullabilityState.NotNull)
            {
                throw new UsageException($"configuration Machine:{p.Name}: null is not a value here (leave the setting out for its default)");
            }
            if (value is List<string> list && list.Contains(null!))
            {
                throw new UsageException($"configuration Machine:{p.Name}: an entry is null");
            }
        }
    }

    private static Dictionary<string, string?> FromOptions(MachineOptions o)
    {
        var d = new Dictionary<string, string?>();
        void Put(string key, string? value)
        {
            if (value is not null)
            {
                d["Machine:" + key] = value;
            }
        }
        Put(nameof(EmulatorSettings.Kernel), o.Kernel);
        Put(nameof(EmulatorSettings.Append), o.Append);
        Put(nameof(EmulatorSettings.Memory), o.Memory);
        Put(nameof(EmulatorSettings.Serial), o.Serial);
        Put(nameof(EmulatorSettings.MaxInstructions), o.MaxInstructions?.ToString(CultureInfo.InvariantCulture));
        Put(nameof(EmulatorSettings.Timeout), o.Timeout?.ToString(CultureInfo.InvariantCulture));
        Put(nameof(EmulatorSettings.InstructionsPerSecond), o.InstructionsPerSecond?.ToString(CultureInfo.InvariantCulture));
        Put(nameof(EmulatorSettings.LogLevel), o.LogLevel);
        Put(nameof(EmulatorSettings.NoAcpi), o.NoAcpi ? "true" : null);
        Put(nameof(EmulatorSettings.NoApic), o.NoApic ? "true" : null);
        Put(nameof(EmulatorSettings.Bios), o.Bios);
        Put(nameof(EmulatorSettings.BootEntry), o.BootEntry?.ToString(CultureInfo.InvariantCulture));
        Put(nameof(EmulatorSettings.Initrd), o.Initrd);
        Put(nameof(EmulatorSettings.Debugcon), o.Debugcon);
        Put(nameof(EmulatorSettings.Persist), o.Persist ? "true" : null); // a switch given on the command line; absent leaves configuration in charge
        Put(nameof(EmulatorSettings.RtcStart), o.RtcStart);
        Put(nameof(EmulatorSettings.Realtime), o.Realtime ? "true" : null);
        Put(nameof(EmulatorSettings.Tier), o.Tier);
        Put(nameof(EmulatorSettings.Screen), o.Screen);
        Put(nameof(EmulatorSettings.Keys), o.Keys);
        Put(nameof(EmulatorSettings.ConsoleScript), o.ConsoleScript);
        Put(nameof(EmulatorSettings.SaveState), o.SaveState);
        Put(nameof(EmulatorSettings.SaveStateAt), o.SaveStateAt);
        Put(nameof(EmulatorSettings.LoadState), o.LoadState);
        Put(nameof(EmulatorSettings.Gdb), o.Gdb ?? (o.GdbDefaultPort ? "1234" : null));
        Put(nameof(EmulatorSettings.GdbWait), o.GdbWait || o.GdbWaitShort ? "true" : null);
        return d;
    }
}
