using CsCheck;
using Minix318Emu.Cli.Commands.Image;
using Minix318Emu.Images;
using Minix318Emu.Images.Minix;
using Minix318Emu.Tests.Support;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Images;

/// <summary>
/// Property: whatever is done to the self-booting disk (cut short anywhere, bits flipped in the
/// partition table, superblock, bitmaps, inodes, directories and indirect blocks), every image
/// operation either works or throws <see cref="ImageFormatException"/>, the reader's own error
/// type; nothing else escapes, and nothing hangs.
/// <para>
/// Inputs come from CsCheck generators (cut length, 1 to 12 bit flips aimed at the sectors a
/// clean walk reads) but are drawn from fixed PCG streams, so CI tries the same
/// <see cref="Cases"/> inputs every time; a failing input is handed to CsCheck's Sample,
/// which shrinks it to the fewest flips and prints it with its seed.
/// MINIX318EMU_FUZZ_CASES sets the count for longer runs.
/// </para>
/// </summary>
public sealed class MinixImageFuzzTests
{
    private readonly ITestOutputHelper _output;

    public MinixImageFuzzTests(ITestOutputHelper output) => _output = output;

    private static readonly Lazy<byte[]> s_base = new(() => File.ReadAllBytes(RealMinix.BootDisk(RealMinix.Require())));

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("MINIX318EMU_FUZZ_CASES"), out int n) ? n : 1500;

    private sealed record Mutation(long Length, (long Offset, int Bit)[] Flips)
    {
        public override string ToString() => $"length {Length}, flips [{string.Join(", ", Flips.Select(f => $"0x{f.Offset:X}.{f.Bit}"))}]";
    }

    [SkippableFact]
    public void DamagedImages_GiveOnlyTheReadersOwnError()
    {
        byte[] image = s_base.Value;
        long[] touched = TouchedSectors(image);
        Gen<(long, int)> flip = Gen.Select(Gen.Int[0, touched.Length - 1], Gen.Int[0, 511], Gen.Int[0, 7], (s, b, bit) => (touched[s] * 512 + b, bit));
        Gen<long> length = Gen.Frequency(
            (3, Gen.Const(image.LongLength)),
            (1, Gen.Long[0, image.LongLength]),
            (1, Gen.Select(Gen.Int[0, touched.Length - 1], Gen.Int[0, 511], (s, b) => touched[s] * 512 + b)));
        Gen<Mutation> gen = Gen.Select(length, flip.Array[0, 12], (l, f) => new Mutation(l, f));

        int errors = 0;
        for (int i = 0; i < Cases; i++)
        {
            var pcg = new PCG(13, (ulong)i);
            string seed = pcg.ToString();
            Mutation m = gen.Generate(pcg, null, out _);
            try
            {
                errors += Exercise(image, m, recordReads: null);
            }
            catch (Exception e)
            {
                // CsCheck starts from the failing seed and shrinks for 2000 more inputs; its exception names the smallest failure.
                Check.Sample(gen, x => Exercise(image, x, recordReads: null), seed: seed, iter: 2000);
                Assert.Fail($"case {i} (seed {seed}, {m}) threw {e.GetType().Name}: {e.Message}, but not again when resampled");
            }
        }
        _output.WriteLine($"{Cases} damaged images ({touched.Length} sectors aimed at): {errors} operations reported the damage as an ImageFormatException, nothing else escaped");
        Assert.True(errors > Cases / 10, $"only {errors} of {Cases} damaged images were reported as damaged: the flips do not reach the file system");
    }

    /// <summary>The sectors a clean walk reads when it does not read file contents: tables, superblock, bitmaps, inodes, directories, indirect blocks.</summary>
    private static long[] TouchedSectors(byte[] image)
    {
        var read = new HashSet<long>();
        Assert.Equal(0, Exercise(image, new Mutation(image.LongLength, []), read));
        return read.Order().ToArray();
    }

    /// <summary>Every image operation on the mutated image; returns how many reported an <see cref="ImageFormatException"/>.</summary>
    private static int Exercise(byte[] image, Mutation m, HashSet<long>? recordReads)
    {
        var disk = new MutatedDisk(image, m.Length, m.Flips) { ReadSectors = recordReads };
        int errors = 0;
        void Step(Action a)
        {
            try
            {
                a();
            }
            catch (ImageFormatException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                errors++;
            }
        }

        MinixDisk? opened = null;
        Step(() => opened = MinixDisk.Open(disk));
        if (opened is null)
        {
            return errors;
        }
        Step(() => ImageText.Info(opened));
        MinixFileSystem? fs = null;
        Step(() => fs = opened.OpenFileSystem());
        if (fs is null)
        {
            return errors;
        }
        var files = new List<MfsTreeItem>();
        Step(() => MfsTree.Walk(fs, "", fs.Resolve("/"), files.Add));
        byte[] head = new byte[8192];
        foreach (MfsTreeItem item in files)
        {
            switch (item.Inode.Type)
            {
                case MfsFileType.Regular when recordReads is null:
                    Step(() => fs.ReadFile(item.Inode, 0, head.AsSpan(0, Math.Min(head.Length, item.Inode.FileSize))));
                    break;
                case MfsFileType.Regular:
                    Step(() => fs.MapBlock(item.Inode, Math.Max(0, item.Inode.FileSize - 1) / fs.BlockSize));
                    break;
                case MfsFileType.Symlink:
                    Step(() => fs.Resolve(item.Path));
                    break;
            }
            Step(() => ImageText.ListLine(fs, item.Inode, item.Name));
        }
        foreach (string path in new[] { "/boot.cfg", "/boot/minix_latest/kernel", "/boot/../etc/./rc", "/boot/minix_latest/" })
        {
            Step(() => fs.Resolve(path));
        }
        byte[] data = new byte[5000 + (int)(m.Length % 40_000)];
        new Random((int)m.Length).NextBytes(data);
        bool written = false;
        Step(() =>
        {
            fs.Put("/tmp/fuzz.bin", data, 0x1A4, 1);
            written = true;
        });
        if (written && m.Flips.Length == 0)
        {
            MfsInode back = fs.Resolve("/tmp/fuzz.bin");
            Assert.Equal(data, fs.ReadAll(back, data.Length));
        }
        return errors;
    }
}
