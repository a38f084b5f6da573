using CsCheck;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images;
using Minix318Emu.Images.Linux;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;
using Minix318Emu.Tracing.Symbols;
using Xunit.Abstractions;

namespace Minix318Emu.Tests.Fuzz;

/// <summary>
/// Property: a damaged kernel, module or bzImage either loads or is refused with
/// <see cref="ImageFormatException"/> (one line naming the file); nothing else escapes the
/// multiboot loader, the ELF and symbol reader, or the Linux loader. Inputs are CsCheck
/// mutations (cuts, bit flips and boundary bytes, mostly in the headers) of the real MINIX
/// kernel (booted when it loads) and a module, a bundled guest and a synthetic bzImage, drawn from fixed PCG streams
/// so CI tries the same inputs every run; a failure is shrunk by CsCheck from its seed.
/// </summary>
public sealed class LoaderFuzzTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-lfuzz-").FullName;

    public LoaderFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int Cases => FuzzBudget.Cases(300);

    /// <summary>Runs <paramref name="exercise"/> on mutations of <paramref name="original"/>; returns how many were refused.</summary>
    private int Fuzz(string name, byte[] original, int hotBytes, uint stream, Func<string, bool> exercise)
    {
        Gen<ByteMutation> gen = ByteMutation.For(original, hotBytes);
        string path = Path.Combine(_dir, name);
        bool Try(ByteMutation m)
        {
            File.WriteAllBytes(path, m.Apply(original));
            try
            {
                return exercise(path);
            }
            catch (ImageFormatException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                Assert.StartsWith(_dir, e.Message); // names the damaged file (or, for a bzImage, the initrd it has no room for)
                return false;
            }
        }
        int refused = 0;
        for (int i = 0; i < Cases; i++)
        {
            var pcg = new PCG(stream, (ulong)i);
            string seed = pcg.ToString();
            ByteMutation m = gen.Generate(pcg, null, out _);
            try
            {
                refused += Try(m) ? 0 : 1;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Check.Sample(gen, x => { Try(x); }, seed: seed, iter: 500, threads: 1); // one thread: every try writes the same file
                Assert.Fail($"{name} case {i} (seed {seed}, {m}) threw {e.GetType().Name}: {e.Message}, but not again when resampled");
            }
        }
        _output.WriteLine($"{name}: {Cases} damaged copies, {refused} refused with a one-line error, the rest loaded");
        return refused;
    }

    [SkippableFact]
    public void DamagedMultibootKernels_LoadOrAreRefused()
    {
        MinixDistributionOrSkip(out var minix);
        var modules = new List<ModuleSpec> { new(minix.Modules[0], minix.Modules[0]) };
        // What loads is also booted for a few thousand instructions: the copy into RAM, the entry
        // state and whatever the damaged code does must end as a run result, never an exception.
        int refused = Fuzz("kernel", File.ReadAllBytes(minix.Kernel), 4096, 21, p =>
        {
            var pc = MachineFactory.Boot(p, "rootdevname=c0d0p0", modules, 32u << 20, new NullSerialSink());
            return pc.Machine.Run(new RunLimits(5000)).Reason != StopReason.None;
        });
        Assert.True(refused > Cases / 10, $"only {refused} of {Cases} damaged kernels were refused: the edits miss the headers");
        Fuzz("demo.elf", File.ReadAllBytes(Repo.Guest("demo")), 1024, 22,
            p => MultibootLoader.Load(p, "", Array.Empty<ModuleSpec>(), 16u << 20) is not null);
    }

    [SkippableFact]
    public void DamagedModules_GiveSymbolsOrAreRefused()
    {
        MinixDistributionOrSkip(out var minix);
        byte[] vm = File.ReadAllBytes(minix.Modules[8]);
        // Hot bytes: the ELF header and the section headers at the end, where .symtab is found.
        int refused = Fuzz("mod09_vm", vm, 4096, 23, p =>
        {
            TracedImage image = TracedImage.Load(p, ImageScope.User);
            foreach (var sym in image.Elf.Symbols.Take(200))
            {
                image.TryGetBytes(sym.Value, new byte[4]);
            }
            return true;
        });
        Assert.True(refused > 0);
    }

    [Fact]
    public void DamagedBzImages_LoadOrAreRefused()
    {
        // A synthetic bzImage: the setup header of protocol 2.15 and a protected-mode part of zeros.
        var b = new byte[64 * 1024];
        b[0x1F1] = 4;                                  // setup_sects
        "HdrS"u8.CopyTo(b.AsSpan(0x202));
        b[0x206] = 0x0F; b[0x207] = 0x02;              // version 2.15
        b[0x211] = 0x01;                               // loadflags: LOADED_HIGH
        b[0x239] = 0x08;                               // cmdline_size: 2048
        string initrd = Path.Combine(_dir, "initrd");
        File.WriteAllBytes(initrd, new byte[4096]);
        Assert.NotNull(LinuxLoader.Load(WriteOriginal(b), initrd, "console=ttyS0", 64u << 20)); // the undamaged image loads
        int refused = Fuzz("bzImage", b, 0x300, 24, p => LinuxLoader.Load(p, initrd, "console=ttyS0", 64u << 20) is not null);
        Assert.InRange(refused, Cases / 20, Cases - Cases / 20); // the edits hit both refusals and loadable headers
        Fuzz("bzImage-sniff", b, 0x300, 25, p => LinuxLoader.IsLinuxKernel(p) || true);
    }

    private string WriteOriginal(byte[] b)
    {
        string p = Path.Combine(_dir, "bzImage-original");
        File.WriteAllBytes(p, b);
        return p;
    }

    private static void MinixDistributionOrSkip(out Minix318Emu.Images.Minix.MinixDistribution d) => d = RealMinix.Require();
}
