using Minix318Emu.Cli.Configuration;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Multiboot;

namespace Minix318Emu.Cli.Hosting;

/// <summary>The validated inputs of a run.</summary>
public sealed record RunPlan(string Kernel, IReadOnlyList<ModuleSpec> Modules, uint RamBytes, RunLimits Limits)
{
    /// <summary>Validates settings into a plan; bad values throw <see cref="UsageException"/>.</summary>
    public static RunPlan From(EmulatorSettings s)
    {
        string kernel = s.Kernel ?? BundledGuests.PathOf("demo");
        ulong ram = SizeParser.Parse("--memory", s.Memory);
        if (ram < 2 << 20 || ram > 2047ul << 20 || (ram & 0xFFF) != 0)
        {
            throw new UsageException($"--memory '{s.Memory}': must be a multiple of 4 KiB between 2M and 2047M");
        }
        if (s.Timeout < 0 || double.IsNaN(s.Timeout))
        {
            throw new UsageException($"--timeout {s.Timeout}: must be a positive number of seconds");
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
}
