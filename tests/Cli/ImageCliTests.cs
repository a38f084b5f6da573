using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Cli;

/// <summary>`minix318emu image ...` as a user runs it on the shared self-booting disk (Unix file modes: not on Windows).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImageCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-imagecli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProcessRunner.Result Cli(params string[] args) =>
        ProcessRunner.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "minix318emu.dll") }.Concat(args), TimeSpan.FromMinutes(2));

    private string CopyOfBootDisk()
    {
        string copy = Path.Combine(_dir, "boot.img");
        File.Copy(RealMinix.BootDisk(RealMinix.Require()), copy);
        return copy;
    }

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    [SkippableFact]
    public void ReadingVerbs_PrintTheFileSystem_AndNeverChangeTheImage()
    {
        string image = CopyOfBootDisk();
        string before = Hash(image);

        var info = Cli("image", "info", image);
        Assert.Equal((0, ""), (info.ExitCode, info.Stderr));
        Assert.Contains("  p0    active type 0x81 MINIX      sectors 32-131071 (131040 sectors, 64.0 MiB), MINIX v3 file system", info.Stdout);
        Assert.Contains("p0: MINIX file system v3, clean", info.Stdout);
        Assert.Contains("  block size 4096 bytes, 16380 zones of one block (64.0 MiB), first data zone 517", info.Stdout);
        Assert.Matches(@"  free: \d+ of 15863 data zones \(\d+\.\d MiB\), \d+ of 32768 inodes", info.Stdout);

        var ls = Cli("image", "ls", image, "/boot");
        Assert.Equal(0, ls.ExitCode);
        string[] lines = ls.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^ +\d+ drwxr-xr-x +\d+ +0 +0 +\d+ \d{4}-\d\d-\d\d \d\d:\d\d minix_default$", lines[0]);
        Assert.Matches(@"^ +\d+ lrwxrwxrwx +1 +0 +0 +13 .* minix_latest -> minix_default$", lines[1]);
        Assert.Contains(" kernel", Cli("image", "ls", image, "/boot/minix_latest").Stdout);   // a link to a directory lists the directory

        var cat = Cli("image", "cat", image, "/boot.cfg");
        Assert.Equal(0, cat.ExitCode);
        Assert.StartsWith("banner=MINIX 3.4", cat.Stdout);
        Assert.Contains("menu=Start MINIX 3 (serial console):load_mods /boot/minix_default/mod*;multiboot /boot/minix_default/kernel", cat.Stdout);

        string target = Path.Combine(_dir, "out");
        var extract = Cli("image", "extract", image, "/boot", target);
        Assert.Equal(0, extract.ExitCode);
        Assert.Equal($"extracted 13 file(s), 2 directories and 1 symbolic link(s) into {target}\n", extract.Stdout);
        MinixDistribution d = RealMinix.Require();
        Assert.Equal(File.ReadAllBytes(d.Kernel), File.ReadAllBytes(Path.Combine(target, "boot", "minix_default", "kernel")));
        Assert.Equal("minix_default", new FileInfo(Path.Combine(target, "boot", "minix_latest")).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(Path.Combine(target, "boot", "minix_default", "kernel")));

        var all = Cli("image", "extract", image, "/", Path.Combine(_dir, "all"));
        Assert.Matches(@"^extracted \d+ file\(s\), \d+ directories and 1 symbolic link\(s\) into .*; skipped \d+ device, pipe or socket node\(s\)\n$", all.Stdout);

        Assert.Equal(before, Hash(image));
    }

    [SkippableFact]
    public void Put_WritesIntoTheImageItIsGiven()
    {
        string image = CopyOfBootDisk();
        string before = Hash(image);
        string file = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(file, "put by the test\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetLastWriteTimeUtc(file, new DateTime(2026, 1, 2, 3, 4, 0, DateTimeKind.Utc));

        var put = Cli("image", "put", image, "/root/notes.txt", file);
        Assert.Equal((0, ""), (put.ExitCode, put.Stderr));
        Assert.Matches($@"^wrote /root/notes.txt: inode \d+, 16 bytes, 1 zone\(s\) allocated, \d+ block\(s\) written to {Regex.Escape(image)}\n$", put.Stdout);
        Assert.NotEqual(before, Hash(image));
        Assert.Equal("put by the test\n", Cli("image", "cat", image, "/root/notes.txt").Stdout);
        Assert.Matches(@" -rw-r-----   1     0     0         16 2026-01-02 03:04 notes.txt\n$", Cli("image", "ls", image, "/root").Stdout);
        Assert.StartsWith("replaced /root/notes.txt:", Cli("image", "put", image, "/root/notes.txt", file).Stdout);
    }

    [SkippableFact]
    public void BadRequests_AreOneLineAndExitCode2()
    {
        string image = RealMinix.BootDisk(RealMinix.Require());
        (string[] Args, string Message)[] cases =
        [
            (["image", "cat", image, "/nope"], $"{image}: p0: /nope: no such file or directory (/nope is missing)"),
            (["image", "cat", image, "/boot"], $"{image}: p0: /boot is a directory, not a regular file"),
            (["image", "ls", image, "/", "--partition", "p2"], $"{image}: no volume p2 (the image has p0 type 0x81)"),
            (["image", "ls", Path.Combine(RealMinix.DirectoryPath, "disk.img.gz")], $"{Path.Combine(RealMinix.DirectoryPath, "disk.img.gz")}: gzip-compressed: decompress it first (gzip -dc FILE > FILE.img)"),
            (["image", "info", Path.Combine(_dir, "missing.img")], $"{Path.Combine(_dir, "missing.img")}: no such file"),
            (["image", "put", image, "/root/x", Path.Combine(_dir, "missing.txt")], $"image put: {Path.Combine(_dir, "missing.txt")}: no such file"),
            (["image", "cat", image], "image cat: expected cat IMAGE PATH, got 1 argument(s) after 'cat'"),
            (["image", "frob", image], "image 'frob': expected info, ls, cat, extract, put or bootcfg"),
        ];
        foreach ((string[] args, string message) in cases)
        {
            var r = Cli(args);
            Assert.Equal((2, $"minix318emu: {message}", ""), (r.ExitCode, r.Stderr.TrimEnd('\n'), r.Stdout));
        }
    }
}
