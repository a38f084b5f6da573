using System.Buffers.Binary;
using System.Text;
using Minix318Emu.Devices.Firmware;
using Minix318Emu.Emulator.Io;
using Minix318Emu.Emulator.Memory;

namespace Minix318Emu.Tests.Devices;

/// <summary>fw_cfg against QEMU's specification (docs/specs/fw_cfg.txt): selector and data ports, the file directory, the DMA interface.</summary>
public sealed class FirmwareConfigTests
{
    private readonly PhysicalMemory _mem = new(1u << 20);
    private readonly IoBus _io = new();
    private readonly FirmwareConfig _cfg;

    public FirmwareConfigTests()
    {
        _cfg = new FirmwareConfig(_mem);
        _cfg.AddU64(FwCfgKeys.RamSize, 0x1000_0000);
        _cfg.AddFile("etc/zeta", new byte[] { 9, 8, 7 });
        _cfg.AddFile("etc/alpha", Encoding.ASCII.GetBytes("hello"));
        _cfg.Attach(_io);
    }

    private byte[] ReadPorts(ushort key, int length)
    {
        _io.Write(FwCfgKeys.SelectorPort, 2, key);
        var b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)_io.Read(FwCfgKeys.DataPort, 1);
        }
        return b;
    }

    /// <summary>Puts a DMA access at 0x1000 and starts it by writing its address, big-endian, high half then low.</summary>
    private uint Dma(uint control, uint length, uint address)
    {
        Span<byte> a = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(a, control);
        BinaryPrimitives.WriteUInt32BigEndian(a[4..], length);
        BinaryPrimitives.WriteUInt64BigEndian(a[8..], address);
        _mem.WriteBytes(0x1000, a);
        _io.Write(FwCfgKeys.DmaPort, 4, 0);
        _io.Write(FwCfgKeys.DmaPort + 4, 4, BinaryPrimitives.ReverseEndianness(0x1000u));
        return BinaryPrimitives.ReverseEndianness(_mem.Read32(0x1000));
    }

    [Fact]
    public void Signature_And_Id_WithTheDmaBit()
    {
        Assert.Equal("QEMU"u8.ToArray(), ReadPorts(FwCfgKeys.Signature, 4));
        uint id = BinaryPrimitives.ReadUInt32LittleEndian(ReadPorts(FwCfgKeys.Id, 4));
        Assert.Equal(FwCfgKeys.IdTraditional | FwCfgKeys.IdDma, id);
    }

    [Fact]
    public void DataPort_ReadsOnFromTheOffset_ZeroPastTheEnd_AndASelectorWriteRestarts()
    {
        Assert.Equal(new byte[] { 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0 }, ReadPorts(FwCfgKeys.RamSize, 10));
        Assert.Equal(new byte[] { 0, 0 }, ReadPorts(0x7FFF & ~FwCfgKeys.Write, 2)); // nothing there: zeros
        Assert.Equal(new byte[] { 0, 0, 0 }, ReadPorts(FwCfgKeys.RamSize, 3));      // from the start again
        Assert.Equal(FwCfgKeys.RamSize, _cfg.Selector);
    }

    [Fact]
    public void DataPortWrites_AreIgnored_AndTheWriteFlagSelectsTheSameItem()
    {
        _io.Write(FwCfgKeys.SelectorPort, 2, (uint)(FwCfgKeys.RamSize | FwCfgKeys.Write));
        _io.Write(FwCfgKeys.DataPort, 1, 0x55);
        Assert.Equal(new byte[] { 0, 0, 0, 0x10 }, ReadPorts(FwCfgKeys.RamSize, 4));
    }

    [Fact]
    public void FileDirectory_IsBigEndian_SortedByName_WithKeysFrom0x20()
    {
        byte[] dir = ReadPorts(FwCfgKeys.FileDir, 4 + 2 * 64);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(dir));
        (uint Size, ushort Key, string Name) Entry(int i)
        {
            var e = dir.AsSpan(4 + 64 * i, 64);
            return (BinaryPrimitives.ReadUInt32BigEndian(e), BinaryPrimitives.ReadUInt16BigEndian(e[4..]),
                Encoding.ASCII.GetString(e[8..]).TrimEnd('\0'));
        }
        Assert.Equal((5u, (ushort)0x20, "etc/alpha"), Entry(0));
        Assert.Equal((3u, (ushort)0x21, "etc/zeta"), Entry(1));
        Assert.Equal("hello"u8.ToArray(), ReadPorts(0x20, 5));
        Assert.Equal(new byte[] { 9, 8, 7 }, ReadPorts(_cfg.FileKey("etc/zeta"), 3));
        Assert.Throws<InvalidOperationException>(() => _cfg.AddFile("etc/late", new byte[1]));
    }

    [Fact]
    public void DmaRegister_ReadsAsTheSignature()
    {
        Assert.Equal(Encoding.ASCII.GetBytes("QEMU CFG"),
            BitConverter.GetBytes(_io.Read(FwCfgKeys.DmaPort, 4)).Concat(BitConverter.GetBytes(_io.Read(FwCfgKeys.DmaPort + 4, 4))).ToArray());
    }

    [Fact]
    public void Dma_SelectRead_SkipRead_ZeroFillsPastTheEnd_AndClearsTheControlWord()
    {
        uint key = _cfg.FileKey("etc/alpha");
        Assert.Equal(0u, Dma((key << 16) | FwCfgKeys.DmaSelect | FwCfgKeys.DmaRead, 2, 0x2000));
        var got = new byte[8];
        _mem.ReadBytes(0x2000, got);
        Assert.Equal(new byte[] { (byte)'h', (byte)'e', 0, 0, 0, 0, 0, 0 }, got);
        Assert.Equal(0u, Dma(FwCfgKeys.DmaSkip, 1, 0));                   // past the 'l'
        _mem.WriteBytes(0x3000, new byte[] { 0xAA, 0xAA, 0xAA, 0xAA });
        Assert.Equal(0u, Dma(FwCfgKeys.DmaRead, 4, 0x3000));              // "lo" then zeros
        _mem.ReadBytes(0x3000, got.AsSpan(0, 4));
        Assert.Equal(new byte[] { (byte)'l', (byte)'o', 0, 0 }, got[..4]);
        Assert.Equal((byte)'h', ReadPorts((ushort)key, 1)[0]);            // ports and DMA share the selection
    }

    [Fact]
    public void Dma_WriteToAnItem_SetsTheErrorBit()
    {
        Assert.Equal(FwCfgKeys.DmaError, Dma(((uint)FwCfgKeys.RamSize << 16) | FwCfgKeys.DmaSelect | FwCfgKeys.DmaWrite, 8, 0x2000));
        Assert.Equal(new byte[] { 0, 0, 0, 0x10 }, ReadPorts(FwCfgKeys.RamSize, 4));
    }

    [Fact]
    public void Board_GivesRamSize_OneCpu_BootDeviceC_AndAnE820TableOfTheRam()
    {
        var mem = new PhysicalMemory(64u << 20);
        var io = new IoBus();
        FirmwareConfig cfg = BoardFirmwareConfig.Create(mem);
        cfg.Attach(io);
        byte[] Read(ushort key, int n)
        {
            io.Write(FwCfgKeys.SelectorPort, 2, key);
            return Enumerable.Range(0, n).Select(_ => (byte)io.Read(FwCfgKeys.DataPort, 1)).ToArray();
        }
        Assert.Equal(64ul << 20, BinaryPrimitives.ReadUInt64LittleEndian(Read(FwCfgKeys.RamSize, 8)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(Read(FwCfgKeys.NbCpus, 2)));
        Assert.Equal('c', BinaryPrimitives.ReadUInt16LittleEndian(Read(FwCfgKeys.BootDevice, 2)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(Read(FwCfgKeys.KernelSize, 4)));
        byte[] e820 = Read(cfg.FileKey("etc/e820"), 20);
        Assert.Equal(BoardFirmwareConfig.E820Entry(0, 64u << 20, BoardFirmwareConfig.E820Ram), e820);
    }
}
