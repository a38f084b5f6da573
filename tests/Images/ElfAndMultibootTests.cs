using System.Buffers.Binary;
using Minix318Emu.Cli.Hosting;
using Minix318Emu.Devices.Serial;
using Minix318Emu.Emulator.Machine;
using Minix318Emu.Images;
using Minix318Emu.Images.Elf;
using Minix318Emu.Images.Multiboot;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Images;

/// <summary>The ELF32 reader and the Multiboot loader: good images, bad images, and the information structure a kernel sees.</summary>
public sealed class ElfAndMultibootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-images-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] data)
    {
        string p = Path.Combine(_dir, name);
        File.WriteAllBytes(p, data);
        return p;
    }

    [Fact]
    public void ElfFile_ReadsSegmentsAndFunctionSymbols()
    {
        ElfFile elf = ElfFile.Load(Repo.Guest("demo"));
        Assert.Contains(elf.Segments, s => s.Type == ElfSegment.Load && s.PhysicalAddress == 0x100000);
        ElfSymbol? kmain = elf.FindSymbol("kmain");
        Assert.NotNull(kmain);
        Assert.True(kmain!.IsFunction);
        Assert.True(kmain.Size > 0);
        Assert.Equal(elf.FindSymbol("_start")!.Value, elf.Entry);
    }

    [Theory]
    [InlineData(300)]    // cut before the multiboot header
    [InlineData(0x1100)] // the header is there, the segment is not
    public void TruncatedElf_NamesTheFileAndWhatIsOutOfBounds(int length)
    {
        byte[] data = File.ReadAllBytes(Repo.Guest("demo"));
        string p = Write("cut.elf", data.AsSpan(0, length).ToArray());
        var e = Assert.Throws<ImageFormatException>(() => MultibootLoader.Load(p, "", Array.Empty<ModuleSpec>(), 16u << 20));
        Assert.StartsWith(p + ": truncated or corrupt:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void SixtyFourBitElf_IsRejected()
    {
        byte[] data = File.ReadAllBytes(Repo.Guest("demo"));
        data[4] = 2;
        var e = Assert.Throws<ImageFormatException>(() => ElfFile.Parse("x.elf", data));
        Assert.Equal("x.elf: not a 32-bit ELF file (EI_CLASS=2)", e.Message);
    }

    [Fact]
    public void FileWithoutMultibootHeader_IsRejected()
    {
        string p = Write("random.bin", Enumerable.Range(0, 9000).Select(i => (byte)(i * 7)).ToArray());
        var e = Assert.Throws<ImageFormatException>(() => MultibootLoader.Load(p, "", Array.Empty<ModuleSpec>(), 16u << 20));
        Assert.Equal(p + ": not a multiboot kernel (no multiboot header in the first 8192 bytes)", e.Message);
    }

    [Fact]
    public void BadMultibootChecksum_IsRejected()
    {
        byte[] data = File.ReadAllBytes(Repo.Guest("demo"));
        int at = FindMagic(data);
        data[at + 8] ^= 1;
        string p = Write("badsum.elf", data);
        var e = Assert.Throws<ImageFormatException>(() => MultibootLoader.Load(p, "", Array.Empty<ModuleSpec>(), 16u << 20));
        Assert.Contains("bad checksum", e.Message);
    }

    [Fact]
    public void ModulesThatDoNotFit_AreRejected()
    {
        string big = Write("big.mod", new byte[3 << 20]);
        var e = Assert.Throws<ImageFormatException>(() => MultibootLoader.Load(Repo.Guest("demo"), "", new[] { new ModuleSpec(big, big) }, 4u << 20));
        Assert.StartsWith(big + ": modules do not fit", e.Message);
    }

    [Fact]
    public void InformationStructure_HasModulesCommandLinesAndMemoryMap()
    {
        string m1 = Write("one.mod", Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        string m2 = Write("two.mod", new byte[] { 1, 2, 3 });
        var pc = MachineFactory.Boot(Repo.Guest("demo"), "root=/dev/c0d0p0", new[] { new ModuleSpec(m1, m1 + " ds"), new ModuleSpec(m2, m2) }, 64u << 20, new NullSerialSink());
        var mem = pc.Machine.Memory;
        uint mbi = pc.Machine.Cpu.R[3];
        Assert.Equal(0x2BADB002u, pc.Machine.Cpu.R[0]);
        uint flags = mem.Read32(mbi);
        Assert.Equal(0x24Du, flags & 0x24D); // mem, cmdline, mods, mmap, loader name
        Assert.Equal(639u, mem.Read32(mbi + 4));
        Assert.Equal(63u * 1024, mem.Read32(mbi + 8));
        Assert.Equal("demo.elf root=/dev/c0d0p0", ReadString(mem, mem.Read32(mbi + 16)));
        Assert.Equal(2u, mem.Read32(mbi + 20));
        uint mods = mem.Read32(mbi + 24);
        uint start1 = mem.Read32(mods), end1 = mem.Read32(mods + 4);
        Assert.Equal(0u, start1 & 0xFFF);                 // page aligned
        Assert.Equal(5000u, end1 - start1);
        Assert.Equal(m1 + " ds", ReadString(mem, mem.Read32(mods + 8)));
        Assert.Equal((byte)(4999 & 0xFF), mem.Read8(end1 - 1));
        uint start2 = mem.Read32(mods + 16);
        Assert.Equal(0u, start2 & 0xFFF);
        Assert.True(start2 >= end1);
        Assert.Equal(3, mem.Read8(start2 + 2));
        Assert.Equal("minix318emu", ReadString(mem, mem.Read32(mbi + 64)));
        // The memory map: the last entry is the RAM above 1 MiB, type 1.
        uint mmapLen = mem.Read32(mbi + 44), mmap = mem.Read32(mbi + 48);
        Assert.Equal(4u * 24, mmapLen);
        uint last = mmap + 3 * 24;
        Assert.Equal(20u, mem.Read32(last));
        Assert.Equal(0x100000u, mem.Read32(last + 4));
        Assert.Equal((64u << 20) - 0x100000, mem.Read32(last + 12));
        Assert.Equal(1u, mem.Read32(last + 20));
    }

    [Fact]
    public void AoutKludge_LoadsAFlatBinaryByItsHeaderAddresses()
    {
        // A flat image: the multiboot header with address fields, then code that writes 0x2A to the exit device.
        const uint load = 0x200000;
        var img = new byte[64];
        uint flags = MultibootHeader.AoutKludge | MultibootHeader.MemoryInfo;
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(0), MultibootHeader.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(4), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(8), unchecked(0u - MultibootHeader.Magic - flags));
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(12), load);        // header_addr
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(16), load);        // load_addr
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(20), 0);           // load_end_addr: whole file
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(24), load + 0x2000); // bss_end_addr
        BinaryPrimitives.WriteUInt32LittleEndian(img.AsSpan(28), load + 32);   // entry_addr
        byte[] code = { 0xB8, 0x2A, 0, 0, 0, 0xE7, 0xF4 };                     // mov eax, 42; out 0xF4, eax
        code.CopyTo(img, 32);
        string p = Write("flat.bin", img);
        var o = GuestRunner.Run(p, ramMiB: 16);
        Assert.Equal(StopReason.GuestExit, o.Result.Reason);
        Assert.Equal((42 << 1 | 1) & 0xFF, o.Result.ExitCode);
    }

    private static int FindMagic(byte[] data)
    {
        for (int i = 0; i < 8192; i += 4)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i)) == MultibootHeader.Magic)
            {
                return i;
            }
        }
        throw new InvalidOperationException("no magic");
    }

    private static string ReadString(Emulator.Memory.PhysicalMemory mem, uint addr)
    {
        var sb = new System.Text.StringBuilder();
        for (byte b; (b = mem.Read8(addr)) != 0; addr++)
        {
            sb.Append((char)b);
        }
        return sb.ToString();
    }
}
