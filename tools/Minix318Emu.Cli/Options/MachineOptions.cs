using CommandLine;

namespace Minix318Emu.Cli.Options;

/// <summary>Options shared by every verb that boots a machine. Null means "not given": configuration decides.</summary>
public abstract class MachineOptions
{
    [Option("kernel", HelpText = "Multiboot kernel (ELF32 or a.out-kludge). Default: with --disk, what the disk's MINIX boot.cfg boots (built-in loader); otherwise the bundled demo guest.")]
    public string? Kernel { get; set; }

    [Option("module", HelpText = "A boot module: \"FILE [ARGS]\"; repeat for more. The whole string is the module's command line.")]
    public IEnumerable<string> Modules { get; set; } = Array.Empty<string>();

    [Option("append", HelpText = "The kernel command line.")]
    public string? Append { get; set; }

    [Option("memory", HelpText = "RAM size, e.g. 256M or 1G (default 256M).")]
    public string? Memory { get; set; }

    [Option("serial", HelpText = "COM1 output: stdio, file:PATH or none (default stdio).")]
    public string? Serial { get; set; }

    [Option("max-instructions", HelpText = "Stop after this many guest instructions (exit code 8).")]
    public ulong? MaxInstructions { get; set; }

    [Option("timeout", HelpText = "Stop after this many host seconds (exit code 8).")]
    public double? Timeout { get; set; }

    [Option("ips", HelpText = "Guest clock rate in instructions per guest second (default 100000000).")]
    public ulong? InstructionsPerSecond { get; set; }

    [Option("disk", HelpText = "A raw disk image: FILE[,slot=primary-master|primary-slave|secondary-master|secondary-slave]; repeat for more.")]
    public IEnumerable<string> Disks { get; set; } = Array.Empty<string>();

    [Option("floppy", HelpText = "A 1.44 MB floppy image: FILE[,wp] (wp: write-protected); the first is drive A:, a second drive B:.")]
    public IEnumerable<string> Floppies { get; set; } = Array.Empty<string>();

    [Option("initrd", HelpText = "An initial ramdisk for a Linux kernel given with --kernel.")]
    public string? Initrd { get; set; }

    [Option("boot-entry", HelpText = "With --disk and no --kernel: the boot.cfg menu entry (from 1) the built-in MINIX loader boots (default: boot.cfg's default).")]
    public int? BootEntry { get; set; }

    [Option("bios", HelpText = "Start from the reset vector of this firmware image (a multiple of 64 KiB) instead of a multiboot kernel.")]
    public string? Bios { get; set; }

    [Option("debugcon", HelpText = "PORT[,file:PATH]: bytes the guest writes to PORT (e.g. 0xe9, 0x80, 0x402) go to the file, or to standard output.")]
    public string? Debugcon { get; set; }

    [Option("no-apic", HelpText = "Leave out the local APIC, the I/O APIC and their MP/ACPI tables (a legacy PC with only the 8259s).")]
    public bool NoApic { get; set; }

    [Option("no-acpi", HelpText = "Leave out the ACPI tables and PM registers (for kernels that should take their legacy paths).")]
    public bool NoAcpi { get; set; }

    [Option("persist", HelpText = "Write disk changes through to the image files (default: a copy-on-write overlay; the files are not changed).")]
    public bool Persist { get; set; }

    [Option("rtc-start", HelpText = "RTC time at boot: an ISO 8601 date-time (UTC), or 'host' for the host clock (default 2026-01-01T00:00:00).")]
    public string? RtcStart { get; set; }

    [Option("tier", HelpText = "How blocks run: interp (the interpreter, the reference), jit (hot blocks compiled to host code; the default unless MINIX318EMU_TIER names another) or check (jit, every compiled block run also checked against the interpreter; slow, for debugging).")]
    public string? Tier { get; set; }

    [Option("realtime", HelpText = "Pace guest time to the wall clock (interactive use; runs are no longer deterministic).")]
    public bool Realtime { get; set; }

    [Option("screen", HelpText = "Write the final VGA text screen to this file.")]
    public string? Screen { get; set; }

    [Option("keys", HelpText = "Text typed on the keyboard 10 ms (guest time) after boot.")]
    public string? Keys { get; set; }

    [Option("gdb", HelpText = "Serve the GDB remote protocol on [HOST:]PORT (host 127.0.0.1 unless given).")]
    public string? Gdb { get; set; }

    [Option("gdb-wait", HelpText = "Stop before the first instruction until gdb continues.")]
    public bool GdbWait { get; set; }

    [Option('s', HelpText = "Shorthand for --gdb 1234 (as QEMU's -s).")]
    public bool GdbDefaultPort { get; set; }

    [Option('S', HelpText = "Shorthand for --gdb-wait (as QEMU's -S).")]
    public bool GdbWaitShort { get; set; }

    [Option("console-script", HelpText = "A console script: lines of expect TEXT, send TEXT, sendline TEXT, wait 500ms, timeout 60s, stop; played on COM1 at the guest times the awaited text appears.")]
    public string? ConsoleScript { get; set; }

    [Option("expect", HelpText = "Wait until this text appears on COM1 (with --send, in command-line order; C escapes such as \\n).")]
    public IEnumerable<string> Expect { get; set; } = Array.Empty<string>();

    [Option("send", HelpText = "Type this text on COM1 once the preceding --expect text has appeared (C escapes: \\r is Enter).")]
    public IEnumerable<string> Send { get; set; } = Array.Empty<string>();

    /// <summary>The verb's whole argument list, for what the parser does not keep (the order of --expect and --send).</summary>
    public IReadOnlyList<string> RawArguments { get; set; } = Array.Empty<string>();

    /// <summary>The --expect/--send script in command-line order, or null; a bad text is a usage error.</summary>
    public Scripting.ConsoleScript? ArgumentScript()
    {
        try
        {
            return Scripting.ConsoleScript.FromArguments(RawArguments);
        }
        catch (FormatException e)
        {
            throw new Configuration.UsageException(e.Message);
        }
    }

    [Option("save-state", HelpText = "Save the machine's state to this file when the run ends (guest exit, limit, Ctrl-C, or --save-state-at).")]
    public string? SaveState { get; set; }

    [Option("save-state-at", HelpText = "End the run and save the state (--save-state) at the guest tick this text appears on COM1 (C escapes).")]
    public string? SaveStateAt { get; set; }

    [Option("load-state", HelpText = "Resume from a state file saved by --save-state on a machine with the same options and images.")]
    public string? LoadState { get; set; }

    [Option("log-level", HelpText = "Diagnostics level: verbose, debug, information, warning, error (default warning).")]
    public string? LogLevel { get; set; }

    [Option("config", HelpText = "An extra JSON configuration file (same keys as appsettings.json).")]
    public string? ConfigFile { get; set; }

    [Option("quiet", HelpText = "No live status line and no summary table on a terminal (they are never drawn when output is redirected).")]
    public bool Quiet { get; set; }
}
