using Minix318Emu.Images.Minix;

namespace Minix318Emu.Tests.Support;

/// <summary>
/// The real MINIX 3.4 in ../shared/minix (relative to the repository root; CI has it too).
/// Tests that boot it skip, naming the directory, when it is absent.
/// </summary>
internal static class RealMinix
{
    /// <summary>The distribution directory.</summary>
    public static string DirectoryPath => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "minix"));

    /// <summary>The distribution, or a skip when it is not there.</summary>
    public static MinixDistribution Require()
    {
        Skip.IfNot(File.Exists(Path.Combine(DirectoryPath, "kernel")), $"the real MINIX is not at {DirectoryPath}");
        return MinixDistribution.Open(DirectoryPath);
    }

    /// <summary>The root disk (disk.img, decompressed once into the shared cache).</summary>
    public static string RootDisk(MinixDistribution d) => d.Disk("disk.img", MinixDistribution.DefaultCache);

    /// <summary>The self-booting disk (disk-boot.img).</summary>
    public static string BootDisk(MinixDistribution d) => d.Disk("disk-boot.img", MinixDistribution.DefaultCache);
}
