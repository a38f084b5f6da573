using System.Diagnostics;
using System.Security.Cryptography;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Minix;
using Minix318Emu.Tests.Support;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Faults;

/// <summary>
/// `--persist` under a kill, checked by MINIX itself: the real MINIX 3.4 runs a write-heavy shell
/// loop (files rewritten, directories made, sync) on a copy of its root disk written through
/// with --persist, and the emulator is killed with SIGKILL in the middle of it. On the next boot
/// that disk is attached as the second IDE disk and MINIX's own fsck_mfs repairs what a power
/// failure can leave (-a), after which a second check finds the file system clean and MINIX
/// mounts it and reads the files the loop synced.
/// </summary>
public sealed class PersistKillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-persistkill-").FullName;
    private readonly ITestOutputHelper _output;

    public PersistKillTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void KilledDuringAWriteLoop_NextBootsFsckFindsNothingItCannotRepair()
    {
        MinixDistribution d = RealMinix.Require();
        string image = Path.Combine(_dir, "root.img");
        File.Copy(RealMinix.RootDisk(d), image);
        byte[] before = SHA256.HashData(File.ReadAllBytes(image));

        // Boot 1: a separate emulator process, killed once the loop has synced several rounds.
        string script = Path.Combine(_dir, "loop.script");
        File.WriteAllLines(script,
        [
            "timeout 600s",
            "expect \"login: \"",
            "sendline root",
            "expect \"# \"",
            "sendline i=0; while :; do i=$((i+1)); dd if=/dev/zero of=/root/w$((i%4)) bs=1k count=48 2>/dev/null; mkdir -p /root/d$i; echo synced-$i > /root/last; sync; echo step=$i; done",
            "expect \"never printed\"",
        ]);
        string console = Path.Combine(_dir, "console1.txt");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        var args = new List<string> { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll"), "run", "--kernel", d.Kernel };
        foreach (string m in d.Modules)
        {
            args.AddRange(["--module", m]);
        }
        args.AddRange(["--append", d.CommandLine, "--disk", image, "--persist", "--serial", "file:" + console, "--console-script", script]);
        args.ForEach(psi.ArgumentList.Add);
        string killedAfter;
        using (Process p = Process.Start(psi)!)
        {
            p.StandardInput.Close();
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(8);
            while (!p.HasExited && DateTime.UtcNow < deadline && !(File.Exists(console) && ReadShared(console).Contains("step=12")))
            {
                Thread.Sleep(20);
            }
            Assert.False(p.HasExited, $"the emulator ended before it was killed; console:\n{(File.Exists(console) ? ReadShared(console) : "")}");
            p.Kill(); // SIGKILL, in the middle of the loop's writes
            p.WaitForExit();
            killedAfter = ReadShared(console).Split("step=").Last().Split('\n')[0].Trim();
        }
        Assert.False(SHA256.HashData(File.ReadAllBytes(image)).AsSpan().SequenceEqual(before), "--persist wrote nothing to the image");

        // Boot 2: a fresh root disk; the killed one is the second disk, checked and read by MINIX.
        const string Repair = "/sbin/fsck_mfs -a /dev/c0d1p0 2>&1 | tail -12; echo repair-status=$?";
        const string Check = "/sbin/fsck_mfs -a /dev/c0d1p0; echo check-status=$?";
        const string Read = "mount /dev/c0d1p0 /mnt >/dev/null && cat /mnt/root/last && ls -d /mnt/root/d* | wc -l";
        var settings = MinixSession.Settings(d, RealMinix.RootDisk(d), Path.Combine(_dir, "console2.txt"));
        settings.Disks.Add(image + ",slot=primary-slave");
        MinixSession.Outcome o = MinixSession.Run(settings, MinixScript.LoginRunPowerOff(Repair, Check, Read));
        Assert.True(o.Result.Reason == StopReason.PowerOff, $"{o.Result.Message}; console:\n{o.Console}");

        string repair = MinixSession.OutputOf(o.Console, Repair);
        _output.WriteLine($"killed after {killedAfter}; fsck -a said:\n{repair}");
        Assert.Contains("repair-status=", repair);
        string check = MinixSession.OutputOf(o.Console, Check);
        Assert.Contains("Checking zone map", check);
        foreach (string complaint in new[] { "missing", "not free", "bad", "INODE NLINK COUNT", "not cleared", "size not updated", "out-of-range", "duplicate", "warning" })
        {
            Assert.DoesNotContain(complaint, check);
        }
        Assert.Contains("check-status=0", check);
        string read = MinixSession.OutputOf(o.Console, Read);
        Assert.Matches(@"synced-\d+", read);   // a round the loop synced before the kill
    }

    /// <summary>Reads a file another process is writing.</summary>
    private static string ReadShared(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var r = new StreamReader(f, System.Text.Encoding.Latin1);
        return r.ReadToEnd();
    }
}
