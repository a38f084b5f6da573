using System.Diagnostics;
using CsCheck;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Tests.Support;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// Property: any path given as a disk or a floppy — files of odd, empty, floppy-sized, sparse
/// terabyte and random sizes, a folder, a FIFO (which blocks a plain open), character devices,
/// a read-only proc file opened for --persist, a dangling symlink and a symlink loop — is
/// opened, and then reads back the file's own bytes, or refused with
/// <see cref="DiskImageException"/> (one line naming the path), within seconds; and
/// `minix318emu run --disk PATH` or `--floppy PATH` ends with an exit code (a refusal is one
/// line and exit code 2), never an exception or a hang.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class DiskImageOpenFuzzTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-dfuzz-").FullName;

    public DiskImageOpenFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The special paths: each is made once (what cannot be made here is left out and said).</summary>
    private List<string> SpecialPaths()
    {
        var paths = new List<string> { _dir, "/dev/null", "/dev/zero", "/proc/version", Path.Combine(_dir, "missing") };
        string fifo = Path.Combine(_dir, "fifo");
        if (ProcessRunner.Run("mkfifo", new[] { fifo }, TimeSpan.FromSeconds(10)).ExitCode == 0)
        {
            paths.Add(fifo);
        }
        File.CreateSymbolicLink(Path.Combine(_dir, "dangling"), Path.Combine(_dir, "nowhere"));
        File.CreateSymbolicLink(Path.Combine(_dir, "loop1"), Path.Combine(_dir, "loop2"));
        File.CreateSymbolicLink(Path.Combine(_dir, "loop2"), Path.Combine(_dir, "loop1"));
        paths.AddRange(new[] { Path.Combine(_dir, "dangling"), Path.Combine(_dir, "loop1") });
        string sparse = Path.Combine(_dir, "sparse-2T.img");
        using (var f = new FileStream(sparse, FileMode.Create))
        {
            f.SetLength(2L << 40);
        }
        paths.Add(sparse);
        return paths;
    }

    /// <summary>Opens <paramref name="path"/> every way; returns whether the disk opened.</summary>
    private static bool Exercise(string path, bool persist, Random rng)
    {
        DiskImage image;
        try
        {
            image = DiskImage.Open(path, persist);
        }
        catch (DiskImageException e)
        {
            Assert.DoesNotContain('\n', e.Message);
            Assert.StartsWith(path + ": ", e.Message);
            return false;
        }
        using (image)
        {
            var sector = new byte[DiskImage.SectorSize];
            var expected = new byte[DiskImage.SectorSize];
            using var raw = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            for (int i = 0; i < 8; i++)
            {
                long lba = rng.NextInt64(image.Sectors);
                image.Read(lba, sector);
                raw.Position = lba * DiskImage.SectorSize;
                raw.ReadExactly(expected);
                Assert.Equal(expected, sector);
            }
            try
            {
                _ = new FloppyDrive(image, writeProtected: false);
                Assert.Equal(FloppyDrive.ImageBytes, image.Sectors * DiskImage.SectorSize);
            }
            catch (DiskImageException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                Assert.StartsWith(path + ": ", e.Message);
            }
        }
        return true;
    }

    /// <summary>`run --disk` and `run --floppy` on the path; the exit code.</summary>
    private static void Cli(string option, string path)
    {
        var errors = new StringWriter();
        TextWriter stdout = Console.Out, stderr = Console.Error;
        int code;
        try
        {
            Console.SetOut(TextWriter.Null);
            Console.SetError(errors);
            code = Minix318Emu.Cli.Program.Main(["run", option, path, "--max-instructions", "20000", "--serial", "none"]);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        if (code == 2)
        {
            string said = errors.ToString();
            Assert.True(said.StartsWith("minix318emu: ", StringComparison.Ordinal) && said.IndexOf('\n') == said.Length - 1, $"run {option} {path}: {said}");
        }
    }

    /// <summary>Runs <paramref name="a"/> with a bound: a hang fails the test instead of stalling the run.</summary>
    private static void Bounded(string what, Action a)
    {
        var t = Task.Run(a);
        Assert.True(t.Wait(TimeSpan.FromSeconds(60)), $"{what} did not end within 60 s");
    }

    [Fact]
    public void AnyPathAsADiskOrFloppy_OpensOrIsRefused_InOneLine()
    {
        var sw = Stopwatch.StartNew();
        Gen<long> size = Gen.Frequency(
            (2, Gen.OneOf(0L, 1L, 511L, 512L, 513L, 1000L, 4096L, FloppyDrive.ImageBytes, FloppyDrive.ImageBytes - 512, FloppyDrive.ImageBytes + 1, 1L << 20)),
            (2, Gen.Long[0, 4L << 20]),
            (1, Gen.Long[1, 8192].Select(n => n * DiskImage.SectorSize)));
        int cases = FuzzBudget.Cases(60), opened = 0, refused = 0;
        var rng = new Random(7);
        var paths = SpecialPaths();
        for (int i = 0; i < cases; i++)
        {
            long n = size.Generate(new PCG(91, (ulong)i), null, out _);
            string p = Path.Combine(_dir, $"size-{n}.img");
            var data = new byte[n];
            rng.NextBytes(data);
            File.WriteAllBytes(p, data);
            paths.Add(p);
        }
        foreach (string p in paths)
        {
            foreach (bool persist in new[] { false, true })
            {
                Bounded($"DiskImage.Open({p}, persist: {persist})", () =>
                {
                    if (Exercise(p, persist, rng))
                    {
                        opened++;
                    }
                    else
                    {
                        refused++;
                    }
                });
            }
        }
        foreach (string p in paths.Take(12).Concat(paths.Where(x => x.Contains("1474560", StringComparison.Ordinal)).Take(1)))
        {
            Bounded($"run --disk {p}", () => Cli("--disk", p));
            Bounded($"run --floppy {p}", () => Cli("--floppy", p));
        }
        _output.WriteLine($"{paths.Count} paths x (copy-on-write, --persist) in {sw.Elapsed.TotalSeconds:0.0} s: {opened} opened and read back their own bytes, {refused} refused in one line");
        Assert.True(opened > 0 && refused > 0);
    }
}
