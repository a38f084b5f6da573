namespace Minix318Emu.Cli.Configuration;

/// <summary>
/// The settings of a machine run, after merging defaults, appsettings.json, environment
/// variables (prefix MINIX318EMU_, sections separated by __) and the command line.
/// </summary>
public sealed class EmulatorSettings
{
    /// <summary>The kernel; null boots the bundled demo guest.</summary>
    public string? Kernel { get; set; }

    /// <summary>Boot modules: "FILE [ARGS]".</summary>
    public List<string> Modules { get; set; } = new();

    /// <summary>The kernel command line.</summary>
    public string Append { get; set; } = "";

    /// <summary>RAM size text (256M, 1G, bytes).</summary>
    public string Memory { get; set; } = "256M";

    /// <summary>COM1 output: stdio, file:PATH or none.</summary>
    public string Serial { get; set; } = "stdio";

    /// <summary>Instruction limit (0 = none).</summary>
    public ulong MaxInstructions { get; set; }

    /// <summary>Wall-clock limit in seconds (0 = none).</summary>
    public double Timeout { get; set; }

    /// <summary>Guest instructions per guest second.</summary>
    public ulong InstructionsPerSecond { get; set; } = Emulator.Machine.PcMachine.DefaultTicksPerSecond;

    /// <summary>Disk images: "FILE[,slot=SLOT]".</summary>
    public List<string> Disks { get; set; } = new();

    /// <summary>Floppy images: "FILE[,wp]" for drives A: and B:.</summary>
    public List<string> Floppies { get; set; } = new();

    /// <summary>Write disk changes through to the files.</summary>
    public bool Persist { get; set; }

    /// <summary>The initrd for a Linux kernel.</summary>
    public string? Initrd { get; set; }

    /// <summary>The boot.cfg menu entry (from 1) the built-in MINIX loader boots; null for boot.cfg's default.</summary>
    public int? BootEntry { get; set; }

    /// <summary>A firmware image to start from the reset vector (instead of a multiboot kernel).</summary>
    public string? Bios { get; set; }

    /// <summary>The debug console: PORT[,file:PATH].</summary>
    public string? Debugcon { get; set; }

    /// <summary>Leave out the APICs and their tables.</summary>
    public bool NoApic { get; set; }

    /// <summary>Leave out the ACPI tables and registers.</summary>
    public bool NoAcpi { get; set; }

    /// <summary>RTC start: ISO 8601 UTC or "host"; empty for the fixed default.</summary>
    public string RtcStart { get; set; } = "";

    /// <summary>The execution tier: interp, jit or check; empty for the default.</summary>
    public string Tier { get; set; } = "";

    /// <summary>Pace guest time to the wall clock.</summary>
    public bool Realtime { get; set; }

    /// <summary>File for the final VGA text screen; empty for none.</summary>
    public string Screen { get; set; } = "";

    /// <summary>Text typed on the keyboard after boot.</summary>
    public string Keys { get; set; } = "";

    /// <summary>The GDB stub endpoint ([HOST:]PORT); empty for none.</summary>
    public string Gdb { get; set; } = "";

    /// <summary>Stop before the first instruction for gdb.</summary>
    public bool GdbWait { get; set; }

    /// <summary>A console script file (see ConsoleScript); empty for none.</summary>
    public string ConsoleScript { get; set; } = "";

    /// <summary>The state file written when the run ends; empty for none.</summary>
    public string SaveState { get; set; } = "";

    /// <summary>Console text at which the run ends and the state is saved; empty for none.</summary>
    public string SaveStateAt { get; set; } = "";

    /// <summary>The state file to resume from; empty to boot.</summary>
    public string LoadState { get; set; } = "";

    /// <summary>A copy whose lists can be changed without changing these settings' lists.</summary>
    public EmulatorSettings Copy()
    {
        var c = (EmulatorSettings)MemberwiseClone();
        c.Modules = new List<string>(Modules);
        c.Disks = new List<string>(Disks);
        c.Floppies = new List<string>(Floppies);
        return c;
    }

    /// <summary>Serilog minimum level.</summary>
    public string LogLevel { get; set; } = "warning";
}
