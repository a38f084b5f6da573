using System.Text;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Minix;

/// <summary>
/// --persist: the real MINIX writes a file on a copy of its root disk, syncs and powers off;
/// the file must then be in the image file (written through, flushed at exit), as the MFS
/// reader finds it by path.
/// </summary>
public sealed class RealMinixPersistTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-persist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void WrittenFile_IsInTheImage_AfterPowerOff()
    {
        MinixDistribution d = RealMinix.Require();
        string copy = Path.Combine(_dir, "disk.img");
        File.Copy(RealMinix.RootDisk(d), copy);
        string marker = MinixScript.Note + "-persisted";
        Assert.Equal(-1, IndexOf(File.ReadAllBytes(copy), Encoding.ASCII.GetBytes(marker)));

        var settings = MinixSession.Settings(d, copy, Path.Combine(_dir, "console.txt"));
        settings.Persist = true;
        var outcome = MinixSession.Run(settings, MinixScript.LoginRunPowerOff($"echo {marker} > /root/persisted.txt; sync"));

        Assert.Equal(StopReason.PowerOff, outcome.Result.Reason);
        using MinixDisk disk = MinixDisk.Open(copy, writable: false);
        MinixFileSystem fs = disk.OpenFileSystem();
        Assert.Equal(marker + "\n", Encoding.ASCII.GetString(fs.ReadAll(fs.Resolve("/root/persisted.txt"), 4096)));
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
