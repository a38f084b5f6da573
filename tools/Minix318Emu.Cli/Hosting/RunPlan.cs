using Minix318Emu.Cli.Configuration;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Hosting;

/// <summary>The validated inputs of a run.</summary>
public sealed record RunPlan(string Kernel, IReadOnlyList<ModuleSpec> Modules, uint RamBytes, RunLimits Limits)
{
    /// <summary>The longest --timeout: a year (a TimeSpan holds far more, but no run needs it).</summary>
    public const double MaxTimeoutSeconds = 31_536_000;

    /// <summary>Validates settings into a plan; bad values throw <see cref="UsageException"/>.</summary>
    public static RunPlan From(EmulatorSettings s)
    {
        RequireNonEmpty("--kernel", s.Kernel);
        RequireNonEmpty("--initrd", s.Initrd);
        RequireNonEmpty("--bios", s.Bios);
        foreach (string d in s.Disks)
        {
            RequireNonEmpty("--disk", d);
        }
        foreach (string f in s.Floppies)
        {
            RequireNonEmpty("--floppy", f);
        }
        string kernel = s.Kernel ?? BundledGuests.PathOf("demo");
        ulong ram = SizeParser.Parse("--memory", s.Memory);
        if (ram < 2 << 20 || ram > 2047ul << 20 || (ram & 0xFFF) != 0)
        {
            throw new UsageException($"--memory '{s.Memory}': must be a multiple of 4 KiB between 2M and 2047M");
        }
        if (s.Timeout < 0 || double.IsNaN(s.Timeout) || s.Timeout > MaxTimeoutSeconds)
        {
            throw new UsageException($"--timeout {s.Timeout}: must be a number of seconds from 0 (none) to {MaxTimeoutSeconds}");
        }
        if (s.InstructionsPerSecond == 0)
        {
            throw new UsageException("--ips 0: the guest clock rate must be positive");
        }
        var modules = new List<ModuleSpec>();
        foreach (string m in s.Modules)
        {
            string trimmed = m.Trim();
            if (trimmed.Length == 0)
            {
                throw new UsageException("--module: empty module specification");
            }
            int space = trimmed.IndexOf(' ');
            string path = space < 0 ? trimmed : trimmed[..space];
            modules.Add(new ModuleSpec(path, trimmed));
        }
        var limits = new RunLimits(s.MaxInstructions == 0 ? ulong.MaxValue : s.MaxInstructions,
            s.Timeout > 0 ? TimeSpan.FromSeconds(s.Timeout) : null);
        return new RunPlan(kernel, modules, (uint)ram, limits);
    }

    // A path option given as "" would reach File APIs that throw ArgumentException, not a usage error.
    private static void RequireNonEmpty(string option, string? path)
    {
        if (path is not null && path.Trim().Length == 0)
        {
            throw new UsageException($"{option}: the path is empty");
        }
    }
}
