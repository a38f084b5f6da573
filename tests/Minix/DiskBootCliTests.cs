using System.Security.Cryptography;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Format;

namespace Minix318Emu.Tests.Minix;

/// <summary>`run`, `trace` and `image bootcfg` with a MINIX disk and no kernel, as a user types them.</summary>
public sealed class DiskBootCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-diskbootcli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(5));

    [SkippableFact]
    public void Trace_TakesTheSymbolsFromTheFilesItLoadedFromTheDisk()
    {
        MinixDistribution d = RealMinix.Require();
        string outDir = Path.Combine(_dir, "trace");
        var r = Cli("trace", "--profile", "minix3", "--disk", RealMinix.BootDisk(d), "--max-instructions", "30000000", "--serial", "none", "--out", outDir);
        Assert.True(r.ExitCode == 8, $"exit code {r.ExitCode}: {r.Stderr}");         // the instruction limit: the boot is under way
        TraceFile trace = TraceReader.Read(Path.Combine(outDir, "trace.m318"));
        Assert.Equal("minix3", trace.Header.Profile);
        Assert.Equal(d.Modules.Prepend(d.Kernel).Select(Path.GetFileName), trace.Header.Images.Select(i => i.Name));
        Assert.Equal(d.Modules.Prepend(d.Kernel).Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))), trace.Header.Images.Select(i => i.Sha256));
    }

    [SkippableFact]
    public void BadCombinations_AreOneLineAndExitCode2()
    {
        MinixDistribution d = RealMinix.Require();
        string disk = RealMinix.BootDisk(d);
        string notMinix = Path.Combine(_dir, "zero.img");
        File.WriteAllBytes(notMinix, new byte[1 << 20]);
        (string[] Args, string Message)[] cases =
        [
            (["run", "--disk", disk, "--module", d.Modules[0]], "--module cannot be used with a MINIX disk booted without --kernel (its boot.cfg names the kernel and modules)"),
            (["run", "--disk", disk, "--boot-entry", "0"], "--boot-entry 0: menu entries are numbered from 1"),
            (["run", "--disk", disk, "--boot-entry", "2"], $"{disk}: p0: boot entry 2 (Drop to boot prompt) opens the boot monitor's prompt, which needs a person at the console; choose an entry that boots"),
            (["run", "--kernel", d.Kernel, "--boot-entry", "1"], "--boot-entry 1 chooses what the built-in MINIX loader boots from a --disk; it cannot be used with --kernel"),
            (["run", "--disk", notMinix], $"{notMinix}: neither a partitioned disk (no 0x55AA signature in sector 0) nor a MINIX v3 file system (no magic 0x4D5A at byte 1048)"),
        ];
        foreach ((string[] args, string message) in cases)
        {
            var r = Cli(args);
            Assert.Equal((2, $"minix318emu: {message}"), (r.ExitCode, r.Stderr.TrimEnd('\n')));
        }
    }

    [SkippableFact]
    public void ImageBootcfg_ShowsTheMenuAndWhatWouldBeBooted()
    {
        MinixDistribution d = RealMinix.Require();
        string disk = RealMinix.BootDisk(d);
        var r = Cli("image", "bootcfg", disk);
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        string[] lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal($"{disk}: p0, /boot.cfg", lines[0]);
        Assert.Contains("   1 * Start MINIX 3 (serial console)", lines);
        Assert.Contains("   2   Drop to boot prompt", lines);
        Assert.Contains("entry 1 boots:", lines);
        Assert.Contains("  command line  /boot/minix_default/kernel rootdevname=c0d0p0 console=tty00 consdev=com0", lines);
        Assert.Equal(d.Modules.Select(m => $"  module        /boot/minix_default/{Path.GetFileName(m)} ({new FileInfo(m).Length} bytes)"), lines.Where(l => l.StartsWith("  module", StringComparison.Ordinal)));

        r = Cli("image", "bootcfg", disk, "--boot-entry", "2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("   2 * Drop to boot prompt", r.Stdout);
        Assert.Equal($"minix318emu: {disk}: p0: boot entry 2 (Drop to boot prompt) opens the boot monitor's prompt, which needs a person at the console; choose an entry that boots\n", r.Stderr);
    }
}
