using System.Diagnostics;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// One run of a multiboot guest under QEMU as `bench` times it: the guest's file and command line
/// given to QEMU's own multiboot loader (-kernel, -append), TCG, the emulator's 256 MiB, no display,
/// no default devices, -no-reboot, COM1 into a file, and the exit device on port 0xF4 as the
/// emulator has it (isa-debug-exit: QEMU's exit status is (V&lt;&lt;1)|1 like ours). The wall time
/// runs from starting the process to its exit, so it includes QEMU's start-up, which the caller
/// measures separately and subtracts. QEMU's own failures (a kernel it cannot load) exit with 1,
/// which is also a guest's exit value 0: <see cref="Stderr"/> keeps what it said, for the caller's
/// comparison with the emulator's run to name.
/// </summary>
internal sealed record QemuGuestRun(TimeSpan Wall, int ExitCode, string Serial, string Stderr)
{
    /// <summary>
    /// Runs <paramref name="kernel"/> with <paramref name="append"/> (empty: none) to its exit;
    /// null with <paramref name="error"/> when QEMU could not start or did not exit within <paramref name="timeout"/> (then it is killed).
    /// </summary>
    public static QemuGuestRun? Start(string qemu, string kernel, string append, int memoryMiB, TimeSpan timeout, out string error)
    {
        string serial = Path.Combine(Path.GetTempPath(), $"minix318emu-qemu-{Environment.ProcessId}-{Guid.NewGuid():N}.serial");
        var psi = new ProcessStartInfo(qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "-accel", "tcg", "-m", memoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-display", "none", "-monitor", "none", "-nodefaults", "-no-reboot",
            "-serial", "file:" + serial, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", kernel,
        })
        {
            psi.ArgumentList.Add(a);
        }
        if (append.Length > 0)
        {
            psi.ArgumentList.Add("-append");
            psi.ArgumentList.Add(append);
        }
        try
        {
            var sw = Stopwatch.StartNew();
            using Process p = Process.Start(psi) ?? throw new IOException($"{qemu}: could not be started");
            // Both pipes drained as they fill, so a chatty QEMU never blocks on a full pipe.
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                error = $"QEMU did not exit within {timeout.TotalSeconds:0} s (killed)";
                return null;
            }
            TimeSpan wall = sw.Elapsed;
            p.WaitForExit(); // the pipes' end, after the timed part
            string err = stderr.Result.Trim();
            _ = stdout.Result;
            if (!File.Exists(serial))
            {
                error = $"QEMU exited with code {p.ExitCode} before running the guest: {(err.Length > 0 ? err.Split('\n')[0] : "no message")}";
                return null;
            }
            error = "";
            return new QemuGuestRun(wall, p.ExitCode, File.ReadAllText(serial), err);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            error = $"{qemu}: could not be started ({e.Message})";
            return null;
        }
        finally
        {
            File.Delete(serial);
        }
    }
}
