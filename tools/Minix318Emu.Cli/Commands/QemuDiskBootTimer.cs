using System.Diagnostics;
using System.Text;

namespace Minix318Emu.Cli.Commands;

/// <summary>
/// Times QEMU booting a disk through a BIOS, as `bench --disk-boot --bios` compares against:
/// `qemu-system-i386 -bios BIOS -hda DISK -snapshot -serial stdio -display none -m 256`, from
/// starting the process to `login: ` on its serial console, and to SeaBIOS's "Booting from
/// 0000:7c00" in its debug log (an isa-debugcon at 0x402 into a file polled every 2 ms), when the
/// boot sector runs; and the CPU time of all of QEMU's threads until login:.
/// </summary>
internal static class QemuDiskBootTimer
{
    public sealed record Timing(TimeSpan Login, TimeSpan? BootSector, TimeSpan LoginCpu);

    /// <summary>The boot's timing, or null with <paramref name="error"/> when QEMU did not reach login: within <paramref name="limit"/>.</summary>
    public static Timing? Run(string qemu, string bios, string disk, TimeSpan limit, out string error)
    {
        string log = Path.Combine(Path.GetTempPath(), $"minix318emu-qemu-{Environment.ProcessId}-{Guid.NewGuid():N}.log");
        var psi = new ProcessStartInfo(qemu)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[]
        {
            "-bios", bios, "-drive", $"file={disk},format=raw,if=ide,index=0", "-snapshot", "-m", "256",
            "-serial", "stdio", "-display", "none", "-monitor", "none", "-no-reboot",
            "-chardev", $"file,id=seabioslog,path={log}", "-device", "isa-debugcon,iobase=0x402,chardev=seabioslog",
        })
        {
            psi.ArgumentList.Add(a);
        }
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{qemu} did not start");
        TimeSpan? bootSector = null;
        using var cts = new CancellationTokenSource();
        Task poll = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested && bootSector is null)
            {
                try
                {
                    if (File.Exists(log) && File.ReadAllText(log).Contains("Booting from 0000:7c00", StringComparison.Ordinal))
                    {
                        bootSector = sw.Elapsed;
                    }
                }
                catch (IOException)
                {
                }
                await Task.Delay(2).ConfigureAwait(false);
            }
        });
        _ = p.StandardError.ReadToEndAsync();
        var seen = new StringBuilder();
        var buf = new char[4096];
        TimeSpan? login = null;
        TimeSpan cpu = TimeSpan.Zero;
        try
        {
            while (sw.Elapsed < limit)
            {
                Task<int> read = p.StandardOutput.ReadAsync(buf, 0, buf.Length);
                if (!read.Wait(limit - sw.Elapsed) || read.Result <= 0)
                {
                    break;
                }
                seen.Append(buf, 0, read.Result);
                if (seen.ToString().Contains("login: ", StringComparison.Ordinal))
                {
                    login = sw.Elapsed;
                    p.Refresh();
                    cpu = p.TotalProcessorTime; // every thread of QEMU's, user and system
                    break;
                }
            }
        }
        finally
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            p.WaitForExit();
            cts.Cancel();
            poll.Wait();
            File.Delete(log);
        }
        error = login is null ? $"QEMU did not print login: within {limit.TotalSeconds:0} s" : "";
        return login is null ? null : new Timing(login.Value, bootSector, cpu);
    }
}
