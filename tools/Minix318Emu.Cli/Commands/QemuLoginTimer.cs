using System.Diagnostics;
using System.Text;
using Minix318Emu.Images.Minix;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// Times QEMU booting a MINIX distribution to `login:` with the command of the distribution's
/// README (multiboot kernel, the modules as -initrd, the root disk with -snapshot, 256 MiB,
/// serial on stdio): from starting the process until `login:` arrives on its serial output,
/// then QEMU is killed. TCG on this machine, as the emulator's figures are.
/// </summary>
internal static class QemuLoginTimer
{
    /// <summary>Wall time to `login:`, or null (with the reason) when it did not appear within <paramref name="timeout"/>.</summary>
    public static (TimeSpan? Wall, string Why) Measure(string qemu, MinixDistribution d, string disk, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-kernel", d.Kernel, "-append", d.CommandLine, "-initrd", string.Join(',', d.Modules), "-hda", disk, "-snapshot", "-serial", "stdio", "-display", "none", "-monitor", "none", "-m", "256" })
        {
            psi.ArgumentList.Add(a);
        }
        var sw = Stopwatch.StartNew();
        using Process p = Process.Start(psi) ?? throw new IOException($"{qemu}: could not be started");
        var seen = new StringBuilder();
        var stderr = p.StandardError.ReadToEndAsync();
        char[] buf = new char[4096];
        try
        {
            while (true)
            {
                Task<int> read = p.StandardOutput.ReadAsync(buf, 0, buf.Length);
                TimeSpan left = timeout - sw.Elapsed;
                if (left <= TimeSpan.Zero || !read.Wait(left))
                {
                    return (null, $"no login: within {timeout.TotalSeconds:0} s");
                }
                if (read.Result == 0)
                {
                    p.WaitForExit();
                    string err = stderr.Result.Trim().Split('\n')[0];
                    return (null, $"QEMU exited with code {p.ExitCode} before login: {err}");
                }
                seen.Append(buf, 0, read.Result);
                if (seen.ToString().Contains("login:", StringComparison.Ordinal))
                {
                    return (sw.Elapsed, "");
                }
                if (seen.Length > 8192)
                {
                    seen.Remove(0, seen.Length - 16); // keep a tail long enough to hold a "login:" split across reads
                }
            }
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
            }
        }
    }
}
