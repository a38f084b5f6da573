using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Board;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Emulator.Snapshots;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// A real, unmodified Linux kernel (Debian's 686 kernel package) booted through the 32-bit boot
/// protocol with a busybox-static initramfs built here, to its init on the legacy PC and on the
/// APIC PC: init prints, runs uname, and powers off through ACPI, ending the run with exit code
/// 0. .ci/run fetches the two Debian packages (tools/fetch-linux.sh); without them the tests
/// are reported as skipped. The boot also checks machine snapshots on this route: the state
/// saved when the kernel starts init (6.45 billion instructions in), loaded into a new machine,
/// gives the rest of the console byte for byte (init's output, uname, the power-off: 3.7 million
/// instructions), the same end and the same final machine.
/// </summary>
public abstract class LinuxBootTests
{
    /// <summary>The APIC PC, or the legacy PC with only the 8259s (--no-apic).</summary>
    protected abstract bool Apic { get; }

    /// <summary>
    /// The console text at which the boot is saved (and goes on), and a resumed run is checked
    /// against the rest of it. The resumed run repeats the boot from there, so the point is late
    /// (the kernel's own boot is 6.45 billion instructions) to keep the suite's time.
    /// </summary>
    private const string SnapshotAtText = "Run /init as init process";

    private const ulong MaxInstructions = 20_000_000_000;

    private static string CacheDir => Path.Combine(Repo.Root, ".cache", "linux");

    /// <summary>Debian's kernel and busybox in .cache/linux, or null when tools/fetch-linux.sh has not fetched them.</summary>
    internal static (string Kernel, string Busybox)? Fetched()
    {
        string kernelDir = Path.Combine(CacheDir, "boot");
        string busybox = Path.Combine(CacheDir, "busybox");
        if (!Directory.Exists(kernelDir) || !File.Exists(busybox))
        {
            return null;
        }
        string? kernel = Directory.GetFiles(kernelDir, "vmlinuz-*").OrderBy(p => p, StringComparer.Ordinal).LastOrDefault();
        return kernel is null ? null : (kernel, busybox);
    }

    /// <summary>A busybox initramfs in <paramref name="dir"/> whose init prints, runs uname and powers off.</summary>
    internal static string Initramfs(string busybox, string dir)
    {
        const string init = "#!/bin/busybox sh\n/bin/busybox echo \"init: hello from busybox\"\n/bin/busybox uname -s -r\n/bin/busybox poweroff -f\n";
        byte[] cpio = CpioWriter.Build(new (string, byte[]?, int)[]
        {
            ("bin", null, 0x41ED), ("dev", null, 0x41ED), ("proc", null, 0x41ED),
            ("bin/busybox", File.ReadAllBytes(busybox), 0x81ED),
            ("init", System.Text.Encoding.ASCII.GetBytes(init), 0x81ED),
        });
        string path = Path.Combine(dir, "initramfs.cpio");
        File.WriteAllBytes(path, cpio);
        return path;
    }

    [SkippableFact]
    public void DebianKernel_BootsToBusyboxInit_AndPowersOff()
    {
        bool apic = Apic;
        var fetched = Fetched();
        Skip.If(fetched is null, "the Debian kernel and busybox are not fetched (tools/fetch-linux.sh, run by .ci/run)");
        string dir = Directory.CreateTempSubdirectory("minix318emu-linux-").FullName;
        try
        {
            string initrd = Initramfs(fetched!.Value.Busybox, dir);
            BootedPc Boot(ISerialSink sink) => MachineFactory.BootLinux(fetched.Value.Kernel, initrd, "console=ttyS0 panic=-1", 256u << 20,
                new BoardConfig { Com1Sink = sink, Apic = apic });
            var sink = new MemorySerialSink();
            string midState = Path.Combine(dir, "mid.state");
            int savedSerial = -1;
            ulong savedAt = 0;
            BootedPc? pc = null;
            var trigger = new StateSaveTrigger(SnapshotAtText, sink, m =>
            {
                pc!.Board.SaveState(midState);
                savedSerial = sink.Text.Length;
                savedAt = m.Cpu.InstructionCount;
            });
            pc = Boot(trigger);
            trigger.Start(pc.Machine);
            RunResult r = pc.Machine.Run(new RunLimits(MaxInstructions));
            string serial = sink.Text;
            Assert.True(r.Reason == StopReason.PowerOff, $"{r.Reason}: {r.Message}\n{Tail(serial)}");
            Assert.Equal(0, r.ExitCode);
            Assert.Contains("Console: colour VGA+ 80x25", serial);   // the zero page's screen_info as the kernel reads it
            Assert.Contains("pnp: PnP ACPI: found 6 devices", serial); // the DSDT's ISA devices, parsed by the kernel's ACPI interpreter
            Assert.Contains("i8042: PNP: PS/2 Controller [PNP0303:KBD,PNP0f13:MOU] at 0x60,0x64 irq 1,12", serial);
            Assert.Contains("Run /init as init process", serial);
            Assert.Contains("init: hello from busybox", serial);
            Assert.Contains("Linux 6.", serial);                   // uname -s -r
            // The kernel's crypto self-tests (about 3 billion instructions of integer code) report failures as "alg: ... failed".
            Assert.DoesNotMatch(@"alg: .*fail", serial);
            if (apic)
            {
                Assert.Contains("Enabling APIC mode", serial);        // the I/O APIC routes its interrupts
            }
            else
            {
                Assert.DoesNotContain("Enabling APIC mode", serial);  // the legacy PC: 8259s only
            }
            // The state saved at init's start, resumed on a new machine: the rest of the same boot.
            Assert.True(savedSerial > 0 && savedSerial < serial.Length, $"the state was not saved mid-console ({savedSerial} of {serial.Length} characters)");
            pc.Board.SaveState(Path.Combine(dir, "straight-end.state"));
            var resumedSink = new MemorySerialSink();
            BootedPc resumed = Boot(resumedSink);
            resumed.Board.LoadState(StateFile.Read(midState));
            RunResult rest = resumed.Machine.Run(new RunLimits(MaxInstructions - savedAt));
            resumed.Board.SaveState(Path.Combine(dir, "resumed-end.state"));
            Assert.Equal(serial[savedSerial..], resumedSink.Text);
            Assert.Equal(r.Reason, rest.Reason);
            Assert.Equal(r.ExitCode, rest.ExitCode);
            Assert.Equal(r.Instructions, savedAt + rest.Instructions);
            Snapshots.SnapshotRoundTrip.AssertSameMachine(StateFile.Read(Path.Combine(dir, "straight-end.state")), StateFile.Read(Path.Combine(dir, "resumed-end.state")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Tail(string s) => s.Length > 3000 ? s[^3000..] : s;
}
