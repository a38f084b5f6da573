using System.Buffers.Binary;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Guests;

/// <summary>
/// The multiboot entry state and memory layout GRUB and QEMU leave: the mbentry guest, linked at
/// 0x8000 (refused before: the boot information sat at 0x7000-0x9FC00), sees CS = 0x08 and the
/// data segments 0x10, finds every piece of the multiboot information outside its image, loads
/// its own GDT without reloading CS and returns from interrupts through it (xv6's seginit; with
/// CS = 0x10 the IRET took #GP), and finds the MP floating pointer in the MP specification's
/// search order from the EBDA segment at 0x40E and the base memory size at 0x413.
/// </summary>
public sealed class MultibootEntryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-mbentry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Expected =
        "entry: magic: 0x2badb002\n" +
        "entry: cs: 0x00000008\n" +
        "entry: ds: 0x00000010\n" +
        "entry: es: 0x00000010\n" +
        "entry: fs: 0x00000010\n" +
        "entry: gs: 0x00000010\n" +
        "entry: ss: 0x00000010\n" +
        "entry: interrupts off\n" +
        "entry: not virtual-8086\n" +
        "entry: protected mode, no paging\n" +
        "mbi: outside the kernel image\n" +
        "mbi: memory, command line, memory map and loader name present\n" +
        "mbi: mem_lower: 0x0000027f\n" +
        "int: taken and returned through the kernel's own GDT: 0x00000002\n" +
        "board: EBDA: 0x0009fc00\n" +
        "board: base memory KiB: 0x0000027f\n" +
        "mp: EBDA segment plausible\n" +
        "mp: base memory plausible\n" +
        "mp: floating pointer in the BIOS ROM\n" +
        "mp: configuration table checksum ok\n";

    [Fact]
    public void KernelAt0x8000_SeesGrubsEntryState_AndFindsTheMpTableAsTheMpSpecSays()
    {
        var o = GuestRunner.Run(Repo.Guest("mbentry"), ramMiB: 64);
        Assert.Equal(Expected, o.Serial.Replace("\r", ""));
        Assert.Equal(StopReason.GuestExit, o.Result.Reason);
        Assert.Equal(1, o.Result.ExitCode); // kmain returned 0: exit code (0 << 1) | 1
    }

    /// <summary>
    /// QEMU agrees on everything but the "mbi:" lines: its own multiboot information and e820
    /// map live at 0x9000-0x95FF and its option ROM copies the kernel's page-rounded blob over
    /// them when the kernel sits at 0x8000, so QEMU's kernel finds them zeroed.
    /// </summary>
    [SkippableFact]
    public void Output_MatchesQemu_ButForQemusOwnOverwrittenMultibootInformation()
    {
        string? qemu = Repo.Which("qemu-system-i386");
        Skip.If(qemu is null, "qemu-system-i386 is not installed");
        var q = Qemu.RunKernel(qemu!, Repo.Guest("mbentry"));
        var o = GuestRunner.Run(Repo.Guest("mbentry"), ramMiB: 64);
        static string Cut(string s) => string.Join("\n", Qemu.WithoutBoardLines(s).Split('\n').Where(l => !l.StartsWith("mbi:", StringComparison.Ordinal)));
        Assert.Equal(Cut(q.Stdout), Cut(o.Serial));
        Assert.Equal(q.ExitCode, o.Result.ExitCode);
    }

    [Fact]
    public void BootInformation_LiesAboveTheKernelAndModules_WithTheGdtTheSelectorsName()
    {
        string module = Path.Combine(_dir, "one.mod");
        File.WriteAllBytes(module, new byte[5000]);
        BootImage image = MultibootLoader.Load(Repo.Guest("mbentry"), "x=1", new[] { new ModuleSpec(module, module) }, 64u << 20);
        Assert.Equal(FlatGdt.MultibootCode, image.CodeSelector);
        Assert.Equal(FlatGdt.MultibootData, image.DataSelector);
        LoadedModule m = Assert.Single(image.Modules);
        Assert.Equal(0x10_0000u, m.Start);                          // modules start at 1 MiB, above a low kernel
        Assert.True(image.Ebx >= m.End, $"mbi 0x{image.Ebx:X} below the module's end 0x{m.End:X}");
        Assert.Equal(0u, image.Ebx & 0xFFF);                        // on a page of its own
        MemoryChunk info = image.Chunks.Single(c => c.Address == image.Ebx);
        uint gdtOffset = image.GdtBase - info.Address;
        Assert.Equal(0u, image.GdtBase & 7);
        Assert.Equal(0x00CF_9A00_0000_FFFFul, BinaryPrimitives.ReadUInt64LittleEndian(info.Data.AsSpan((int)gdtOffset + 8)));  // 0x08: code
        Assert.Equal(0x00CF_9200_0000_FFFFul, BinaryPrimitives.ReadUInt64LittleEndian(info.Data.AsSpan((int)gdtOffset + 16))); // 0x10: data
        Assert.Equal(23, image.GdtLimit);
    }

    [Theory]
    [InlineData(0x0000_0400u, 0x100u, "overlaps the interrupt vector table and BIOS data area 0x0-0x4FF")]
    [InlineData(0x0009_F000u, 0x1000u, "overlaps the EBDA, video memory and BIOS area 0x9FC00-0xFFFFF")]
    [InlineData(0x000C_0000u, 0x100u, "overlaps the EBDA, video memory and BIOS area 0x9FC00-0xFFFFF")]
    public void KernelSegments_OverTheBiosAreas_AreRefused(uint load, uint length, string problem)
    {
        string p = FlatKernel(load, length);
        var e = Assert.Throws<ImageFormatException>(() => MultibootLoader.Load(p, "", Array.Empty<ModuleSpec>(), 16u << 20));
        Assert.Equal($"{p}: kernel segment at 0x{load:X} {problem}", e.Message);
    }

    [Theory]
    [InlineData(0x0000_0500u)]
    [InlineData(0x0000_7000u)]
    [InlineData(0x0000_8000u)]
    [InlineData(0x0009_E000u)]
    public void KernelSegments_AnywhereElseInLowMemory_Boot(uint load)
    {
        var o = GuestRunner.Run(FlatKernel(load, 0x1000), ramMiB: 16);
        Assert.Equal(StopReason.GuestExit, o.Result.Reason);
        Assert.Equal((42 << 1) | 1, o.Result.ExitCode);
    }

    /// <summary>A flat a.out-kludge kernel of <paramref name="length"/> bytes at <paramref name="load"/> whose code writes 42 to the exit device.</summary>
    private string FlatKernel(uint load, uint length)
    {
        var img = new byte[length];
        uint flags = MultibootHeader.AoutKludge;
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(0), MultibootHeader.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(4), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(8), unchecked(0u - MultibootHeader.Magic - flags));
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(12), load);      // header_addr
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(16), load);      // load_addr
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(28), load + 32); // entry_addr
        new byte[] { 0xB8, 0x2A, 0, 0, 0, 0xE7, 0xF4 }.CopyTo(img, 32);      // mov eax, 42; out 0xF4, eax
        string p = Path.Combine(_dir, $"flat-{load:X}.bin");
        File.WriteAllBytes(p, img);
        return p;
    }
}
