using Minix318Emu.Devices.Dma;
using Minix318Emu.Devices.Storage;
using Minix318Emu.Emulator.Memory;
using Minix318Emu.Tests.Support;

namespace Minix318Emu.Tests.Devices;

/// <summary>
/// The 8237 pair through its ports, and the floppy controller with a 1.44 MB drive: the
/// datasheet behaviours the QEMU-compared guest cannot show (QEMU seeks implicitly, ends
/// non-DMA transfers normally and does not format).
/// </summary>
public sealed class FloppyDmaTests : IDisposable
{
    private const uint Buffer = 0x30000;
    private readonly string _dir = Directory.CreateTempSubdirectory("minix318emu-fdc-").FullName;
    private readonly PhysicalMemory _memory = new(1u << 20);
    private readonly IsaDma _dma;
    private readonly RecordingLine _irq6 = new();
    private readonly FloppyController _fdc;

    public FloppyDmaTests()
    {
        _dma = new IsaDma(_memory);
        _fdc = new FloppyController(_irq6, _dma);
        _fdc.Write(0x3F2, 1, 0x1C);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte Pattern(long lba, int off) => (byte)(lba * 31 ^ off * 7 ^ off >> 5);

    private FloppyDrive Insert(bool writeProtected = false, int unit = 0)
    {
        string path = Path.Combine(_dir, $"fd{unit}.img");
        var data = new byte[FloppyDrive.ImageBytes];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = Pattern(i / 512, i % 512);
        }
        File.WriteAllBytes(path, data);
        var d = new FloppyDrive(DiskImage.Open(path, persist: false), writeProtected);
        _fdc.AttachDrive(unit, d);
        return d;
    }

    private void Command(params byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            Assert.Equal(0x80u, _fdc.Read(0x3F4, 1) & 0xC0); // RQM, host to controller
            _fdc.Write(0x3F5, 1, b);
        }
    }

    private byte[] Result(int n)
    {
        var r = new byte[n];
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(0xD0u, _fdc.Read(0x3F4, 1) & 0xD0); // RQM, DIO, busy: the result phase
            r[i] = (byte)_fdc.Read(0x3F5, 1);
        }
        Assert.Equal(0x80u, _fdc.Read(0x3F4, 1));
        return r;
    }

    private void SeekTo(int cylinder)
    {
        Command(0x0F, 0x00, (byte)cylinder);
        Command(0x08);
        Assert.Equal(new byte[] { 0x20, (byte)cylinder }, Result(2));
    }

    private void ProgramChannel2(byte mode, uint address, int bytes)
    {
        _dma.Write(0x0A, 1, 0x06);
        _dma.Write(0x0C, 1, 0);
        _dma.Write(0x0B, 1, mode);
        _dma.Write(0x04, 1, (byte)address);
        _dma.Write(0x04, 1, (byte)(address >> 8));
        _dma.Write(0x81, 1, (byte)(address >> 16));
        _dma.Write(0x05, 1, (byte)(bytes - 1));
        _dma.Write(0x05, 1, (byte)((bytes - 1) >> 8));
        _dma.Write(0x0A, 1, 0x02);
    }

    [Fact]
    public void Dma_AutoInitialiseReloads_DecrementWalksDown_AndPlainModeMasksAtTerminalCount()
    {
        var client = new byte[8];
        ProgramChannel2(0x56, Buffer + 3, 4);       // auto-initialise, write to memory
        Assert.True(_dma.CanRun(2));
        int n = _dma.Transfer(2, client.AsSpan(0, 6), deviceToMemory: true, out bool tc);
        Assert.Equal(4, n);
        Assert.True(tc);
        Assert.False(_dma.Channel(2).Masked);       // reloaded, still unmasked
        Assert.Equal((ushort)((Buffer + 3) & 0xFFFF), _dma.Channel(2).Address);
        Assert.Equal(0x04u, _dma.Read(0x08, 1) & 0x0F); // TC bit of channel 2, cleared by the read
        Assert.Equal(0x00u, _dma.Read(0x08, 1) & 0x0F);

        byte[] src = { 1, 2, 3 };
        ProgramChannel2(0x66, Buffer + 0x100, 3);   // decrement, write to memory
        _dma.Transfer(2, src, deviceToMemory: true, out tc);
        Assert.True(tc);
        Assert.Equal((byte)3, _memory.Read8(Buffer + 0xFE));
        Assert.Equal((byte)2, _memory.Read8(Buffer + 0xFF));
        Assert.Equal((byte)1, _memory.Read8(Buffer + 0x100));
        Assert.True(_dma.Channel(2).Masked);        // no auto-initialise: masked at terminal count
        Assert.False(_dma.CanRun(2));
    }

    [Fact]
    public void Dma_AddressWrapsInsideItsPage_AndWordChannelsAddressWords()
    {
        ProgramChannel2(0x46, 0x3FFFF, 2);
        _dma.Transfer(2, new byte[] { 0xAA, 0xBB }, deviceToMemory: true, out _);
        Assert.Equal((byte)0xAA, _memory.Read8(0x3FFFF));
        Assert.Equal((byte)0xBB, _memory.Read8(0x30000)); // the 8237 does not carry into the page register

        // Channel 5 (second controller, registers at 0xC4/0xC6, page 0x8B): word addresses and counts.
        _dma.Write(0xD4, 1, 0x01);                  // unmask channel 5
        _dma.Write(0xD6, 1, 0x45);                  // channel 5: single, write to memory
        _dma.Write(0xD8, 1, 0);
        _dma.Write(0xC4, 1, 0x00);
        _dma.Write(0xC4, 1, 0x10);                  // word address 0x1000 = byte 0x2000
        _dma.Write(0x8B, 1, 0x04);                  // page 4: 0x40000
        _dma.Write(0xC6, 1, 1);                     // two words
        _dma.Write(0xC6, 1, 0);
        int n = _dma.Transfer(5, new byte[] { 1, 2, 3, 4, 5, 6 }, deviceToMemory: true, out bool tc);
        Assert.Equal(4, n);
        Assert.True(tc);
        Assert.Equal(0x04030201u, _memory.Read32(0x42000));
    }

    [Fact]
    public void Dma_FirstControllerStops_WhenTheCascadeChannelIsMasked()
    {
        ProgramChannel2(0x46, Buffer, 16);
        Assert.True(_dma.CanRun(2));
        _dma.Write(0xD4, 1, 0x04);                  // mask channel 4, the cascade
        Assert.False(_dma.CanRun(2));
        _dma.Write(0xD4, 1, 0x00);
        Assert.True(_dma.CanRun(2));
        _dma.Write(0x0D, 1, 0);                     // master clear masks the first controller's channels
        Assert.False(_dma.CanRun(2));
    }

    [Fact]
    public void Read_ProgrammedBeforeTheDmaChannelIsUnmasked_WaitsForIt()
    {
        Insert();
        SeekTo(2);
        _dma.Write(0x0B, 1, 0x46);
        _dma.Write(0x0C, 1, 0);
        _dma.Write(0x04, 1, 0);
        _dma.Write(0x04, 1, 0);
        _dma.Write(0x81, 1, 3);
        _dma.Write(0x05, 1, 0xFF);
        _dma.Write(0x05, 1, 0x01);                  // 512 bytes, channel still masked
        Command(0x46, 0x00, 2, 0, 5, 2, 18, 0x1B, 0xFF);
        Assert.Equal(0x10u, _fdc.Read(0x3F4, 1));    // execution phase: busy, no RQM
        Assert.True(_dma.Channel(2).Requested);      // DREQ held
        _dma.Write(0x0A, 1, 0x02);                  // unmask: the transfer runs
        Assert.Equal(new byte[] { 0x00, 0, 0, 2, 0, 6, 2 }, Result(7));
        Assert.Equal(Pattern(FloppyDrive.Lba(2, 0, 5), 100), _memory.Read8(0x30000 + 100));
    }

    [Fact]
    public void Read_ReachingEotBeforeTerminalCount_EndsWithEndOfCylinder()
    {
        Insert();
        SeekTo(1);
        ProgramChannel2(0x46, Buffer, 4 * 512);     // more than sectors 17-18 hold
        Command(0x46, 0x00, 1, 0, 17, 2, 18, 0x1B, 0xFF);
        byte[] r = Result(7);
        Assert.Equal(new byte[] { 0x40, 0x80, 0x00, 2, 0, 1, 2 }, r); // abnormal, EN; next is C+1 sector 1
        Assert.Equal(Pattern(FloppyDrive.Lba(1, 0, 18), 7), _memory.Read8(Buffer + 512 + 7));
    }

    [Fact]
    public void Read_WithoutDma_MovesBytesThroughTheFifo_AndEndsAtEotWithEndOfCylinder()
    {
        Insert();
        SeekTo(3);
        Command(0x03, 0xDF, 0x03);                  // SPECIFY, ND
        Command(0x46, 0x04, 3, 1, 9, 2, 9, 0x1B, 0xFF);
        int rises = _irq6.Rises;
        for (int i = 0; i < 512; i++)
        {
            Assert.Equal(0xF0u, _fdc.Read(0x3F4, 1)); // RQM, DIO, non-DMA, busy
            Assert.Equal(Pattern(FloppyDrive.Lba(3, 1, 9), i), (byte)_fdc.Read(0x3F5, 1));
        }
        Assert.True(_irq6.Rises - rises >= 511);     // the interrupt asks for each byte
        Assert.Equal(new byte[] { 0x44, 0x80, 0x00, 4, 1, 1, 2 }, Result(7)); // no TC without DMA
    }

    [Fact]
    public void Read_OfACylinderTheHeadIsNotOn_FindsNoData_UnlessImpliedSeekIsOn()
    {
        Insert();
        SeekTo(4);
        ProgramChannel2(0x46, Buffer, 512);
        Command(0x46, 0x00, 7, 0, 1, 2, 18, 0x1B, 0xFF);
        Assert.Equal(new byte[] { 0x40, 0x04, 0x10, 7, 0, 1, 2 }, Result(7)); // ND, wrong cylinder

        Command(0x13, 0x00, 0x40 | 0x20, 0x00);     // CONFIGURE: implied seek on
        ProgramChannel2(0x46, Buffer, 512);
        Command(0x46, 0x00, 7, 0, 1, 2, 18, 0x1B, 0xFF);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 7, 0, 2, 2 }, Result(7));
        Assert.Equal(7, _fdc.Drive(0)!.Cylinder);
    }

    [Fact]
    public void Write_ToAProtectedDisk_IsRefused_AndNothingChanges()
    {
        FloppyDrive d = Insert(writeProtected: true);
        ProgramChannel2(0x4A, Buffer, 512);
        Command(0x45, 0x00, 0, 0, 1, 2, 1, 0x1B, 0xFF);
        Assert.Equal(new byte[] { 0x40, 0x02, 0x00, 0, 0, 1, 2 }, Result(7));
        Assert.Equal(0, d.Image.OverlaySectors);
    }

    [Fact]
    public void FormatTrack_FillsEachNamedSector_WithTheDataByte()
    {
        FloppyDrive d = Insert();
        SeekTo(6);
        for (int r = 1; r <= 18; r++)
        {
            _memory.WriteBytes(Buffer + (uint)(r - 1) * 4, new byte[] { 6, 1, (byte)r, 2 });
        }
        ProgramChannel2(0x4A, Buffer, 18 * 4);
        Command(0x4D, 0x04, 2, 18, 0x54, 0xE5);     // FORMAT TRACK side 1: N 2, 18 sectors, gap, filler 0xE5
        byte[] r7 = Result(7);
        Assert.Equal(0x04, r7[0]);                  // normal, head 1
        var sector = new byte[512];
        d.Image.Read(FloppyDrive.Lba(6, 1, 11), sector);
        Assert.All(sector, b => Assert.Equal(0xE5, b));
        d.Image.Read(FloppyDrive.Lba(6, 0, 11), sector);
        Assert.Equal(Pattern(FloppyDrive.Lba(6, 0, 11), 9), sector[9]); // side 0 untouched
    }

    [Fact]
    public void ReadDeleted_FindsANormalDataMark_ReadsThatSectorWithControlMark()
    {
        Insert();
        ProgramChannel2(0x46, Buffer, 3 * 512);
        Command(0x4C, 0x00, 0, 0, 1, 2, 18, 0x1B, 0xFF);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x40, 0, 0, 2, 2 }, Result(7));
        Assert.Equal(Pattern(0, 300), _memory.Read8(Buffer + 300));
    }

    [Fact]
    public void Verify_ChecksSectorsWithoutMovingData()
    {
        Insert();
        Command(0xD6, 0x00, 0, 0, 17, 2, 18, 0x1B, 0xFF); // multi-track: 17, 18, then side 1 to EOT
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 1, 0, 1, 2 }, Result(7));
        Assert.Equal((byte)0, _memory.Read8(Buffer));
    }

    [Fact]
    public void SenseDriveStatus_AndDiskChange_FollowTheHead()
    {
        Insert(writeProtected: true);
        Assert.Equal(0x80u, _fdc.Read(0x3F7, 1));    // disk change from power-on
        Command(0x04, 0x04);
        Assert.Equal(new byte[] { 0x40 | 0x20 | 0x10 | 0x08 | 0x04 }, Result(1));
        SeekTo(1);
        Assert.Equal(0x00u, _fdc.Read(0x3F7, 1));    // the step pulse cleared it
        Command(0x04, 0x00);
        Assert.Equal(new byte[] { 0x40 | 0x20 | 0x08 }, Result(1));
    }

    [Fact]
    public void WrongImageSize_IsRefused_NamingTheFile()
    {
        string path = Path.Combine(_dir, "small.img");
        File.WriteAllBytes(path, new byte[737280]);
        using DiskImage image = DiskImage.Open(path, persist: false);
        var e = Assert.Throws<DiskImageException>(() => new FloppyDrive(image, false));
        Assert.Equal($"{path}: the floppy image is 737280 bytes; a 1.44 MB image is 1474560 bytes", e.Message);
    }
}
